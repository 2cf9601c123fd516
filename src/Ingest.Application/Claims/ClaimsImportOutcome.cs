namespace Ingest.Application.Claims;

/// <summary>What an import did: the import's id, the schools it holds, its rows, and the entries it made in their 学校自评 columns.</summary>
public sealed record ClaimsImportOutcome(long ImportId, IReadOnlyList<string> Schools, int Rows, int Entries);
