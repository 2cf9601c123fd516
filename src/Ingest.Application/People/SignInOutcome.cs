using Ingest.Data.People;

namespace Ingest.Application.People;

/// <summary>
/// How a sign-in ended. <see cref="Message"/> is what the person reads when it failed: one message for every reason, so
/// that it never tells a stranger which logins exist. <see cref="Session"/> is the server-side session it opened.
/// </summary>
public sealed record SignInOutcome(AccountRecord? Account, string? Message, Guid Session = default, DateTimeOffset Expires = default)
{
    public bool Succeeded => Account is not null;
}

/// <summary>A token as created: <see cref="Token"/> is shown this once and kept only as its hash.</summary>
public sealed record CreatedToken(TokenView View, string Token);
