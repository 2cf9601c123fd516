namespace Ingest.Application.UseCases;

/// <summary>
/// What a use case came to: done, with its value, or not done, with a <see cref="Refusal"/> that says why. Every front end
/// answers the same outcome its own way (a problem and its status, the page with the message, a line on standard error).
/// </summary>
public sealed class Outcome<T>
{
    private readonly T? value;

    internal Outcome(T? value, Refusal? refusal)
    {
        this.value = value;
        Refusal = refusal;
    }

    /// <summary>Why the use case did not act; null when it did.</summary>
    public Refusal? Refusal { get; }

    public bool IsDone => Refusal is null;

    /// <summary>What the use case produced.</summary>
    /// <exception cref="InvalidOperationException">The use case refused; read <see cref="Refusal"/> first.</exception>
    public T Value => IsDone ? value! : throw new InvalidOperationException("The use case refused: " + Refusal!.Message);

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal ?? throw new ArgumentNullException(nameof(refusal)));

    /// <summary>The same refusal, or the value mapped.</summary>
    public Outcome<TOther> Map<TOther>(Func<T, TOther> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return IsDone ? map(value!) : Refusal!;
    }
}

/// <summary>Outcomes made by name.</summary>
public static class Outcome
{
    /// <summary>Done with <paramref name="value"/>: for values of an interface type, which no implicit conversion reaches.</summary>
    public static Outcome<T> Done<T>(T value) => new(value, null);
}

/// <summary>Why a use case did not act.</summary>
public enum RefusalKind
{
    /// <summary>The input does not hold: <see cref="Refusal.Errors"/> names each field, row or cell that is wrong.</summary>
    Invalid,

    /// <summary>The caller may not do this: its role or scope does not reach it.</summary>
    Forbidden,

    /// <summary>What the input names does not exist (an organisation, a sheet not yet pre-filled, an account).</summary>
    NotFound,

    /// <summary>The input holds, but the state does not allow it now (the row changed under the caller, the name is taken).</summary>
    Conflict,
}

/// <summary>One wrong field, row or cell, and what is wrong with it, in Chinese.</summary>
/// <param name="Field">The input's name for it: a request field (stars, person), an item (16.1), or a file's row.</param>
public sealed record FieldError(string Field, string Message);

/// <summary>A use case's reason for not acting, in the reader's language: one message, and for invalid input every error.</summary>
/// <param name="Title">What did not happen, as a heading (联系人未保存, 填报表未导入).</param>
/// <param name="Subject">The file the errors are about, when the input was one.</param>
/// <param name="Code">What a front end may act on beyond the kind (<see cref="NotPrefilled"/>), or null.</param>
public sealed record Refusal(RefusalKind Kind, string Title, string Message, IReadOnlyList<FieldError> Errors, string? Subject = null, string? Code = null)
{
    /// <summary>The organisation and cycle are right, but the sheet has not been pre-filled: a writer may pre-fill it.</summary>
    public const string NotPrefilled = "sheet.not_prefilled";

    public static Refusal Invalid(string title, string field, string message) => new(RefusalKind.Invalid, title, message, [new FieldError(field, message)]);

    public static Refusal Invalid(string title, string message, IReadOnlyList<FieldError> errors, string? subject = null) =>
        new(RefusalKind.Invalid, title, message, errors, subject);

    public static Refusal Forbidden(string message) => new(RefusalKind.Forbidden, "无权访问", message, []);

    public static Refusal NotFound(string title, string message) => new(RefusalKind.NotFound, title, message, []);

    public static Refusal Conflict(string title, string message) => new(RefusalKind.Conflict, title, message, []);
}

/// <summary>The value of a use case that changes something and has nothing to hand back.</summary>
public sealed record Done
{
    public static readonly Done Value = new();

    private Done()
    {
    }
}
