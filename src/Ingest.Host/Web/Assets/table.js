// Sorting by a header click and filtering by name, level and waiting items: a little script over the table the server rendered.
(() => {
    const table = document.querySelector("table[id]:has(th[data-sort])");
    if (!table) return;
    const body = table.tBodies[0];
    const rows = () => Array.from(body.rows);
    table.querySelectorAll("th[data-sort]").forEach((th, index) => {
        th.tabIndex = 0;
        const sort = () => {
            const ascending = th.getAttribute("aria-sort") !== "ascending";
            table.querySelectorAll("th[data-sort]").forEach(h => h.removeAttribute("aria-sort"));
            th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
            const key = row => {
                const cell = row.cells[index];
                if (th.dataset.sort === "number") { const v = parseFloat(cell.dataset.value); return isNaN(v) ? -Infinity : v; }
                return cell.textContent.trim();
            };
            const sorted = rows().sort((a, b) => {
                const x = key(a), y = key(b);
                const c = typeof x === "number" ? x - y : x.localeCompare(y, "zh-CN");
                return ascending ? c : -c;
            });
            sorted.forEach(r => body.appendChild(r));
        };
        th.addEventListener("click", sort);
        th.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
    const text = document.getElementById("filter-text");
    const level = document.getElementById("filter-level");
    const waiting = document.getElementById("filter-waiting");
    const count = document.getElementById("filter-count");
    const filter = () => {
        const t = (text?.value || "").trim();
        let shown = 0;
        rows().forEach(r => {
            const visible = (!t || r.cells[0].textContent.includes(t))
                && (!level?.value || r.dataset.level === level.value)
                && (!waiting?.checked || Number(r.dataset.waiting) > 0);
            r.hidden = !visible;
            if (visible) shown++;
        });
        if (count) count.textContent = `显示 ${shown} / ${rows().length}`;
    };
    [text, level, waiting].forEach(el => el && el.addEventListener("input", filter));
    filter();
})();
