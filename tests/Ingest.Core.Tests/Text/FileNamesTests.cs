using System.Text;
using Ingest.Core.Text;

namespace Ingest.Core.Tests.Text;

/// <summary>A name from elsewhere stays one file in the folder it is written to.</summary>
public class FileNamesTests
{
    [Theory]
    [InlineData("2164240001-泾源县城关第一小学-2025年度-星级认定表.pdf", "2164240001-泾源县城关第一小学-2025年度-星级认定表.pdf")]
    [InlineData("../../etc/passwd", "_._etc_passwd")]
    [InlineData("泾源县/城关\\第一小学.xlsx", "泾源县_城关_第一小学.xlsx")]
    [InlineData("学校\r\n名称\t.xlsx", "学校__名称_.xlsx")]
    [InlineData("学校\u202Exslx.exe", "学校_xslx.exe")]
    [InlineData("a:b*c?d\"e<f>g|h", "a_b_c_d_e_f_g_h")]
    [InlineData("CON.xlsx", "_CON.xlsx")]
    [InlineData("  ..  ", "文件")]
    [InlineData("", "文件")]
    public void A_name_loses_what_would_take_it_elsewhere_and_keeps_the_rest(string name, string expected) =>
        FileNames.Safe(name).ShouldBe(expected);

    [Fact]
    public void A_long_name_is_cut_in_whole_characters_and_keeps_its_extension()
    {
        var safe = FileNames.Safe(new string('泾', 200) + ".xlsx");
        Encoding.UTF8.GetByteCount(safe).ShouldBeLessThanOrEqualTo(FileNames.MaxBytes);
        safe.ShouldEndWith("泾.xlsx");
        safe.ShouldNotContain("\uFFFD");
    }

    [Theory]
    [InlineData(@"C:\Users\王老师\Desktop\自评.xlsx", "自评.xlsx")]
    [InlineData("../../自评.csv", "自评.csv")]
    [InlineData("..", "自评文件")]
    [InlineData(null, "自评文件")]
    public void An_uploads_name_keeps_only_its_last_part(string? name, string expected) =>
        FileNames.OfUpload(name, "自评文件").ShouldBe(expected);
}
