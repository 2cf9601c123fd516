using Ingest.Application.UseCases;

namespace Ingest.Host.Cli;

/// <summary>How a verb answers a use case's outcome: the value, or the refusal on standard error with exit code 1.</summary>
public static class CliOutcome
{
    /// <summary>The value of an outcome that acted.</summary>
    /// <exception cref="CommandRefusedException">The use case refused; the guard prints why and exits with 1.</exception>
    public static T OrFail<T>(this Outcome<T> outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.IsDone ? outcome.Value : throw new CommandRefusedException(outcome.Refusal!);
    }

    /// <summary>
    /// A refused file on standard error, every problem on its own line, so a person can correct them all before importing
    /// it again; the exit code 1.
    /// </summary>
    public static async Task<int> FileRefusedAsync(Refusal refusal, string file)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        await Console.Error.WriteLineAsync($"ingest: {refusal.Subject ?? file} 未导入，请逐项改正后重新导入：");
        foreach (var error in refusal.Errors)
        {
            await Console.Error.WriteLineAsync("  " + error.Message);
        }

        return 1;
    }

    /// <summary>The value of an outcome that acted, once it has come.</summary>
    /// <exception cref="CommandRefusedException">The use case refused; the guard prints why and exits with 1.</exception>
    public static async Task<T> OrFailAsync<T>(this Task<Outcome<T>> outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return (await outcome).OrFail();
    }
}

/// <summary>A use case refused what a verb asked: its message is the line the guard prints.</summary>
public sealed class CommandRefusedException(Refusal refusal) : Exception(refusal.Message)
{
    public Refusal Refusal { get; } = refusal;
}
