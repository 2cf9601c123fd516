// Saving a line in place: the entry form posts as it would without script, the server answers the line and the totals
// again, and they replace the old ones, so the rater stays at the line. Anything else (signed out, refused, a network
// failure) falls back to the ordinary post, which reloads the page with its summary of errors at the top.
(() => {
    const status = document.getElementById("line-status");
    document.addEventListener("submit", async event => {
        const form = event.target;
        if (!(form instanceof HTMLFormElement) || !form.classList.contains("entry-form") || !form.closest("tr[data-target]")) return;
        event.preventDefault();
        const submitter = event.submitter;
        const body = new FormData(form, submitter);
        const row = form.closest("tr");
        form.setAttribute("aria-busy", "true");
        form.querySelectorAll("button").forEach(b => b.disabled = true);
        let response;
        try {
            response = await fetch(form.action, { method: "POST", body, headers: { "X-Sheet-Line": "1" }, credentials: "same-origin" });
        } catch {
            response = null;
        }
        if (!response || response.headers.get("X-Sheet-Line") !== "1") {
            // The ordinary post, with the button that was pressed.
            if (submitter && submitter.name) {
                const carried = document.createElement("input");
                carried.type = "hidden";
                carried.name = submitter.name;
                carried.value = submitter.value;
                form.appendChild(carried);
            }
            HTMLFormElement.prototype.submit.call(form);
            return;
        }
        const template = document.createElement("template");
        template.innerHTML = await response.text();
        const fresh = template.content.querySelector("tr[data-target]");
        const totals = template.content.querySelector("#totals-section");
        const said = template.content.querySelector("[data-said]");
        if (fresh) row.replaceWith(fresh);
        if (totals) document.getElementById("totals-section")?.replaceWith(totals);
        if (status && said) status.textContent = said.textContent;
        const next = fresh || row;
        const invalid = next.querySelector("[aria-invalid=true]");
        (invalid || next.querySelector("input:not([type=hidden]), select"))?.focus();
    });
})();
