using Ingest.Application.UseCases;
using Microsoft.AspNetCore.Mvc;

namespace Ingest.Host.Audit.Pages;

/// <summary>A page of one county in one cycle (<see cref="Ingest.Host.Web.CyclePage"/>), with the seeds its draws are typed with.</summary>
public abstract class CountyCyclePage : Ingest.Host.Web.CyclePage
{
    [FromRoute]
    public string County { get; set; } = string.Empty;

    /// <summary>A random seed as typed on a form: none when left empty (the use case makes one), else a whole number.</summary>
    protected static Outcome<long?> Seed(string? seed, string title)
    {
        if (string.IsNullOrWhiteSpace(seed))
        {
            return Outcome.Done<long?>(null);
        }

        return long.TryParse(seed.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? Outcome.Done<long?>(value)
            : Refusal.Invalid(title, "seed", $"随机种子“{seed.Trim()}”应为非负整数，或留空由系统生成");
    }
}
