using Ingest.Application.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ingest.Host.People.Pages;

/// <summary>Sign-in: login and password against the account store; the session cookie on success, the reason beside the form otherwise.</summary>
[AllowAnonymous]
public sealed class SignInModel(AccountService accounts, SignInThrottle throttle) : PageModel
{
    [BindProperty]
    public string? Login { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (throttle.Refuse(Login) is { } wait)
        {
            await RateLimits.RejectAsync(HttpContext, wait, ct);
            return new EmptyResult();
        }

        var outcome = await accounts.SignInAsync(Login, Password, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Message;
            Password = null;
            return Page();
        }

        await HttpContext.SignInAsync(PeopleServiceCollectionExtensions.CookieScheme, PeopleServiceCollectionExtensions.PrincipalOf(outcome.Account!, outcome.Session));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
