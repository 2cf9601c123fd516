namespace Ingest.Core.Sheets;

/// <summary>An entry as recorded: target, column, value, who and when.</summary>
public sealed record Entry(string Target, Column Column, EntryValue Value, string By, DateTimeOffset At);

/// <summary>An entry as logged: the value, who and when, and the target's score in that column before and after.</summary>
public sealed record EntryLog(long Id, Entry Entry, decimal? OldScore, decimal? NewScore, decimal? AutoScore);
