using System.ComponentModel.DataAnnotations;

namespace Ingest.Host.People;

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

    /// <summary>The shortest password an account may have.</summary>
    [Range(8, 128)]
    public int MinimumPasswordLength { get; set; } = 10;
}
