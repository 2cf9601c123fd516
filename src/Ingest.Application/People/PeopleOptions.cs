using System.ComponentModel.DataAnnotations;

namespace Ingest.Application.People;

/// <summary>Sign-in settings (<c>Ingest:People</c>).</summary>
public sealed class PeopleOptions
{
    public const string Section = "Ingest:People";

    /// <summary>Failed sign-ins in a row that lock an account.</summary>
    [Range(1, 100)]
    public int LockoutAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a browser stays signed in without use (sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionIdle { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed sign-ins from one client address, any login, within <see cref="AddressWindow"/> after which that address is refused.</summary>
    [Range(1, 10_000)]
    public int AddressFailures { get; set; } = 20;

    /// <summary>The window <see cref="AddressFailures"/> is counted in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AddressWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a browser session lasts at most, however busy (the idle limit ends it sooner).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long a token lasts when its creator does not say.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Sign-in posts a client address may make a minute (on each host), before it is answered 429.</summary>
    [Range(1, 100_000)]
    public int SignInsPerAddressPerMinute { get; set; } = 30;

    /// <summary>Sign-in posts naming one login a minute (on each host), before they are answered 429.</summary>
    [Range(1, 100_000)]
    public int SignInsPerLoginPerMinute { get; set; } = 10;

    /// <summary>Requests one token may make a minute (on each host), before it is answered 429.</summary>
    [Range(1, 1_000_000)]
    public int TokenRequestsPerMinute { get; set; } = 600;

    /// <summary>Token-authenticated requests one client address may make a minute (on each host), any token.</summary>
    [Range(1, 1_000_000)]
    public int TokenRequestsPerAddressPerMinute { get; set; } = 1200;

    /// <summary>The shortest password an account may have.</summary>
    [Range(8, 128)]
    public int MinimumPasswordLength { get; set; } = 10;
}
