using Ingest.Application.People;
using Ingest.Host.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.People.Pages;

/// <summary>The start: each role goes to its own page (a school its sheet, a bureau its county, the department the region, ops the runs).</summary>
[Allow(Roles.Ops, Roles.Department, Roles.Bureau, Roles.School, Roles.Auditor)]
public sealed class HomeModel(Navigation navigation) : PageModel
{
    public IActionResult OnGet() => LocalRedirect(navigation.Home(HttpCaller.Of(HttpContext)));
}
