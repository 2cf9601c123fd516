using Ingest.Documents.Claims;
using Ingest.Documents.Uploads;
using static Ingest.Host.Tests.Uploads.HostileFiles;

namespace Ingest.Host.Tests.Uploads;

/// <summary>
/// The upload readers against hostile files, each refused with a message that says what is wrong, while what the read
/// allocated (on this thread: the readers are synchronous) stays a few megabytes whatever the file claims to hold.
/// </summary>
public class WorkbookReaderTests
{
    private static readonly string[] Header = [.. ClaimsFile.Columns];

    private static (UploadRefusedException Refused, long Allocated) Refuse(byte[] file, UploadLimits? limits = null)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var refused = Should.Throw<UploadRefusedException>(() => WorkbookReader.Read(new MemoryStream(file), null, limits ?? ClaimsFile.Limits));
        return (refused, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("ZZZZZZ1")]
    [InlineData("XFE1")]
    [InlineData("A1048577")]
    [InlineData("A99999999999")]
    public void A_cell_beyond_Excels_last_column_or_row_is_refused_by_name_before_anything_is_sized_by_it(string reference)
    {
        var (refused, allocated) = Refuse(Workbook(("Sheet1", CellAt(Header, reference))));

        refused.Problem.ShouldBe($"工作表“Sheet1”的单元格引用“{reference}”超出 Excel 的范围（最大为 XFD1048576）");
        allocated.ShouldBeLessThan(4L << 20);
    }

    [Fact]
    public void A_row_number_past_int_is_refused_not_overflowed()
    {
        var file = Workbook(("Sheet1", w => w.Write("<row r=\"99999999999\"><c t=\"inlineStr\"><is><t>1</t></is></c></row>")));

        Refuse(file).Refused.Problem.ShouldBe("工作表“Sheet1”的行号“99999999999”超出 Excel 的范围（1～1048576）");
    }

    [Fact]
    public void A_cell_right_of_the_forms_columns_is_refused_naming_the_cell()
    {
        var file = Workbook(("自评", CellAt(Header, "Q3")));

        Refuse(file).Refused.Problem.ShouldBe("工作表“自评”单元格 Q3：超出本表的 16 列（最后一列为 P）");
    }

    [Fact]
    public void A_part_that_decompresses_past_the_budget_is_refused_from_the_zip_directory()
    {
        var file = ZipBomb(Header, megabytes: 200, lie: false);
        file.Length.ShouldBeLessThan(2 << 20, "the bomb is small on the wire");

        var (refused, allocated) = Refuse(file);

        refused.Problem.ShouldBe("解压后共 200 MB，超过上限 64 MB，不像是填好的表格");
        allocated.ShouldBeLessThan(4L << 20);
    }

    [Fact]
    public void A_part_that_lies_about_its_size_is_read_no_further_than_it_says_and_refused()
    {
        // The zip reader stops at the declared 1 KB, which cuts the sheet's XML short.
        var (refused, allocated) = Refuse(ZipBomb(Header, megabytes: 200, lie: true));

        refused.Problem.ShouldBe("不是可读的 Excel 工作簿（.xlsx）：其中的 XML 无效（第 1 行）");
        allocated.ShouldBeLessThan(4L << 20, "200 MB of blanks are never decompressed");
    }

    [Fact]
    public void A_sheet_is_read_streaming_so_fifty_megabytes_within_the_budget_are_never_held()
    {
        var file = ZipBomb(Header, megabytes: 50, lie: false);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var cells = WorkbookReader.Read(new MemoryStream(file), null, ClaimsFile.Limits)!;

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(8L << 20);
        cells.Count.ShouldBe(Header.Length);
    }

    [Fact]
    public void One_cell_of_a_hundred_thousand_characters_is_refused_at_Excels_own_limit()
    {
        var file = Workbook(("Sheet1", Rows([Header, ["2164240001", new string('字', 100_000)]])));

        var (refused, allocated) = Refuse(file);

        refused.Problem.ShouldBe("有单元格超过 Excel 的 32767 个字符上限");
        allocated.ShouldBeLessThan(4L << 20);
    }

    [Fact]
    public void More_cells_than_the_limit_stop_the_read_at_the_limit()
    {
        var rows = Enumerable.Range(0, 2_000).Select(i => Enumerable.Repeat("1", 8).ToArray()).Prepend(Header);

        var refused = Refuse(Workbook(("Sheet1", Rows(rows))), ClaimsFile.Limits with { MaxCells = 10_000 }).Refused;

        refused.Problem.ShouldBe("单元格超过 10000 个，超过上限");
    }

    [Theory]
    [InlineData(new byte[0], "文件是空的（0 字节）")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0, 0 }, "不是 Excel 工作簿（.xlsx）：文件太短")]
    public void An_empty_file_or_a_truncated_zip_is_named_as_such(byte[] file, string problem) => Refuse(file).Refused.Problem.ShouldBe(problem);

    [Fact]
    public void A_zip_that_is_not_a_workbook_is_named_as_such() =>
        Refuse(ZipOfText()).Refused.Problem.ShouldBe("是压缩文件，但不是 Excel 工作簿（.xlsx）：缺少工作簿部件");

    [Fact]
    public void A_document_type_declaration_is_refused_before_any_entity_is_expanded() =>
        Refuse(EntityExpansion()).Refused.Problem.ShouldStartWith("不是可读的 Excel 工作簿（.xlsx）：其中的 XML 无效");

    [Fact]
    public void Text_that_is_neither_utf8_nor_gb18030_is_refused_naming_the_byte()
    {
        Should.Throw<UploadRefusedException>(() => UploadText.Decode(BomAndGarbage)).Problem
            .ShouldBe("以 UTF-8 标记开头，但第 4 字节起不是有效的 UTF-8 文本：请另存为“CSV UTF-8”后重新上传");
        Should.Throw<UploadRefusedException>(() => UploadText.Decode(BrokenGb18030("学校标识码,序号\r\n"))).Problem
            .ShouldStartWith("既不是 UTF-8 也不是 GB18030 编码的文本（第 ");
        Should.Throw<UploadRefusedException>(() => UploadText.Decode([])).Problem.ShouldBe("文件是空的（0 字节）");
        UploadText.Decode(Ingest.Core.Text.ChineseText.Gb18030.GetBytes("学校标识码,序号")).ShouldBe("学校标识码,序号");
    }

    [Fact]
    public void The_services_own_workbooks_still_read_with_every_cell_in_place()
    {
        var file = Workbook(("Sheet1", Rows([Header, ["2164240001", "泾源县城关第一小学", "22", "应用指数", "3", "2.5", "", "说明 & <备注>"]])));

        var cells = WorkbookReader.Read(new MemoryStream(file), null, ClaimsFile.Limits)!;

        cells[(1, 1)].ShouldBe("学校标识码");
        cells[(2, 6)].ShouldBe("2.5");
        cells[(2, 8)].ShouldBe("说明 & <备注>");
        cells.ContainsKey((2, 7)).ShouldBeFalse();
    }
}
