using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Ingest.Scoring.Bulletins;

namespace Ingest.Documents.Bulletins;

/// <summary>
/// A county bulletin as a Word document, set as official documents are: the title in 小标宋 (二号), headings in 黑体,
/// body in 仿宋_GB2312 (三号) with a two-character first-line indent; the annex of figures on its own page. In a draft each
/// hole reads 【待填：…】 on a yellow ground.
/// </summary>
public static class BulletinDocx
{
    private const string Body = "仿宋_GB2312";
    private const string Heading = "黑体";
    private const string SubHeading = "楷体_GB2312";
    private const string Title = "方正小标宋简体";

    public static byte[] Write(BulletinDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        using var buffer = new MemoryStream();
        using (var document = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new DocumentFormat.OpenXml.Wordprocessing.Body();
            foreach (var paragraph in draft.Paragraphs)
            {
                body.Append(Paragraph(paragraph));
            }

            if (draft.Annex.Count > 0)
            {
                body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
                body.Append(Paragraph(new BulletinParagraph(BulletinStyle.Heading, "附件：数据来源")));
                body.Append(Paragraph(new BulletinParagraph(BulletinStyle.Body, "正文所引网上采集数据的出处：指标、数据期间、数值与采集批次。")));
                body.Append(Table(["学校", "指标", "期间", "数值", "采集批次", "采集时间"],
                    draft.Annex.Select(f => new[]
                    {
                        f.SchoolName, f.IndicatorName, f.Period, f.Value, f.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        f.FetchedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                    })));
            }

            // A4 with the margins of official documents (上37mm 下35mm 左28mm 右26mm).
            body.Append(new SectionProperties(
                new PageSize { Width = 11906U, Height = 16838U },
                new PageMargin { Top = 2098, Bottom = 1984, Left = 1588U, Right = 1474U, Header = 851U, Footer = 992U, Gutter = 0U }));
            main.Document = new Document(body);
            main.Document.Save();
        }

        return buffer.ToArray();
    }

    private static Paragraph Paragraph(BulletinParagraph paragraph)
    {
        var (font, size, bold, centre, indent) = paragraph.Style switch
        {
            BulletinStyle.Title => (Title, "44", true, true, false),
            BulletinStyle.Heading => (Heading, "32", false, false, true),
            BulletinStyle.SubHeading => (SubHeading, "32", false, false, true),
            _ => (Body, "32", false, false, true),
        };
        // The schema's order: spacing, indentation, justification.
        var properties = new ParagraphProperties(new SpacingBetweenLines { Line = "560", LineRule = LineSpacingRuleValues.Exact });
        if (indent)
        {
            properties.Append(new Indentation { FirstLine = "640", FirstLineChars = 200 });
        }

        properties.Append(new Justification { Val = centre ? JustificationValues.Center : JustificationValues.Both });

        var p = new Paragraph(properties);
        foreach (var part in paragraph.Parts)
        {
            var run = new Run(RunProperties(font, size, bold, part.IsHole), new Text(part.IsHole ? $"【待填：{part.Prompt}】" : part.Text) { Space = SpaceProcessingModeValues.Preserve });
            p.Append(run);
        }

        return p;
    }

    private static RunProperties RunProperties(string font, string size, bool bold, bool hole)
    {
        var properties = new RunProperties(new RunFonts { Ascii = font, HighAnsi = font, EastAsia = font, ComplexScript = font });
        if (bold)
        {
            properties.Append(new Bold());
        }

        // The schema's order: fonts, bold, size, highlight.
        properties.Append(new FontSize { Val = size });
        if (hole)
        {
            properties.Append(new Highlight { Val = HighlightColorValues.Yellow });
        }

        return properties;
    }

    private static Table Table(string[] header, IEnumerable<string[]> rows)
    {
        var table = new Table(new TableProperties(
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            // The schema's order: top, left, bottom, right, inside.
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = 4 }, new LeftBorder { Val = BorderValues.Single, Size = 4 },
                new BottomBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 })),
            // The text width (A4 less the margins) shared among the columns.
            new TableGrid(header.Select(_ => new GridColumn { Width = ((11906 - 1588 - 1474) / header.Length).ToString(System.Globalization.CultureInfo.InvariantCulture) })));
        table.Append(Row(header, bold: true));
        foreach (var row in rows)
        {
            table.Append(Row(row, bold: false));
        }

        return table;
    }

    private static TableRow Row(string[] cells, bool bold) =>
        new(cells.Select(c => new TableCell(new Paragraph(new Run(RunProperties(Body, "21", bold, hole: false), new Text(c) { Space = SpaceProcessingModeValues.Preserve })))));
}
