namespace Ingest.Documents.Forms;

/// <summary>One worksheet being written: cells, merges, column widths, row heights, print setup and protection.</summary>
public sealed class XSheet(string name)
{
    public string Name { get; } = name;

    public SortedDictionary<int, SortedDictionary<int, (object? Value, XStyle Style)>> Cells { get; } = [];

    public List<string> Merges { get; } = [];

    public Dictionary<int, double> Widths { get; } = [];

    public Dictionary<int, double> Heights { get; } = [];

    /// <summary>Rows repeated at the top of every printed page (1-based, inclusive), or null.</summary>
    public (int First, int Last)? PrintTitleRows { get; set; }

    /// <summary>Protect the sheet: only <see cref="XStyle.Input"/> and <see cref="XStyle.InputText"/> cells can be typed in.</summary>
    public bool Protect { get; set; }

    /// <summary>Excel's own checks of what is typed into input cells, so a wrong value is stopped before the upload.</summary>
    public List<XValidation> Validations { get; } = [];

    /// <summary>Fit the printout to one page (the 认定表), else to the page width only (long lists).</summary>
    public bool FitOnePage { get; set; }

    /// <summary>Sets a cell (1-based row and column).</summary>
    public XSheet Set(int row, int column, object? value, XStyle style = XStyle.Text)
    {
        if (!Cells.TryGetValue(row, out var cells))
        {
            Cells[row] = cells = [];
        }

        cells[column] = (value, style);
        return this;
    }

    /// <summary>Sets the first cell of a range, styles the rest alike (so borders print) and merges it.</summary>
    public XSheet Merge(int row, int column, int lastRow, int lastColumn, object? value, XStyle style = XStyle.Text)
    {
        for (var r = row; r <= lastRow; r++)
        {
            for (var c = column; c <= lastColumn; c++)
            {
                Set(r, c, r == row && c == column ? value : null, style);
            }
        }

        if (lastRow > row || lastColumn > column)
        {
            Merges.Add($"{Xlsx.Ref(row, column)}:{Xlsx.Ref(lastRow, lastColumn)}");
        }

        return this;
    }
}

/// <summary>What Excel accepts in one input cell, and the message it shows there (in Chinese) while the cell is selected.</summary>
/// <param name="Max">The most points a score may have (<see cref="XValidationKind.HalfPoints"/>).</param>
public sealed record XValidation(string Cell, XValidationKind Kind, decimal Max, string Prompt);

/// <summary>The kinds of value an input cell takes.</summary>
public enum XValidationKind
{
    /// <summary>A score from 0 to the points, in steps of 0.5.</summary>
    HalfPoints,

    /// <summary>A count: a whole number, 0 or more.</summary>
    WholeNumber,

    /// <summary>是 or 否, from a list.</summary>
    YesNo,

    /// <summary>File names: text, at most <see cref="XValidation.Max"/> characters.</summary>
    Text,
}

/// <summary>The cell styles the forms use, by index into <see cref="Xlsx"/>'s stylesheet.</summary>
public enum XStyle : uint
{
    Default = 0,
    Title = 1,
    Header = 2,
    Text = 3,
    Center = 4,
    Input = 5,
    Plain = 6,
    InputText = 7,
    Label = 8,
    Subtitle = 9,
    Caption = 10,
}
