using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ingest.Application.Claims;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Application.UseCases;
using Ingest.Core.Periods;
using Ingest.Core.Sheets;
using Ingest.Host.Tests.Cli;
using Ingest.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Ingest.Host.Tests.People.People;

namespace Ingest.Host.Tests.Architecture;

/// <summary>
/// The use cases decide, check access and refuse by themselves: called with no endpoint filter in front of them they
/// still refuse a caller outside its scope or column, and the API, the command line and the use case give the same
/// refusal for the same request, worded once.
/// </summary>
public class UseCaseOutcomeTests
{
    private static readonly EvaluationCycle Cycle = EvaluationCycle.Parse("school:2024");

    private static Caller SchoolCaller => new("王老师", "jy-school", Roles.School, School, null);

    private static Caller BureauCaller => new("李老师", "jy-bureau", Roles.Bureau, "640424", null);

    private static Caller AuditorCaller => new("审计组", "jy-audit", Roles.Auditor, "640424", null);

    [Fact]
    public async Task Called_directly_the_use_cases_refuse_callers_outside_their_scope_or_column_and_write_nothing()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        var sheets = host.App.Services.GetRequiredService<ScoresheetService>();
        var claims = host.App.Services.GetRequiredService<ClaimsService>();
        var accounts = host.App.Services.GetRequiredService<AccountService>();
        var ct = CancellationToken.None;

        // 申报星级 is the school's own: its bureau is refused, and a school is refused another county's school.
        var byBureau = await sheets.SetAppliedStarsAsync(BureauCaller, School, Cycle, "4", ct);
        byBureau.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Forbidden);
        byBureau.Refusal.Message.ShouldBe("申报星级由学校自己填写");
        var foreign = await sheets.SetAppliedStarsAsync(SchoolCaller, ForeignSchool, Cycle, "4", ct);
        foreign.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Forbidden);
        foreign.Refusal.Message.ShouldContain(ForeignSchool);

        // An auditor reads and writes no column; a bureau names the school's column and is refused it.
        var audited = await sheets.EnterAsync(AuditorCaller, School, Cycle, "1", null, new EntryValue(1, null, null, null), ct);
        audited.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Forbidden);
        var otherColumn = await sheets.EnterAsync(BureauCaller, School, Cycle, "1", Column.Self, new EntryValue(1, null, null, null), ct);
        otherColumn.Refusal.ShouldNotBeNull().Message.ShouldBe("教育局（640424）只能写入教育局评定栏，不能写入学校自评栏");

        // A school's contact is not another school's to set; claims are not an auditor's to import; accounts are ops'.
        var contact = await sheets.SetContactAsync(SchoolCaller, OtherSchool, "马老师", "0954-1234567", ct);
        contact.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Forbidden);
        var claimed = await claims.ImportAsync(AuditorCaller, "学校标识码,序号,自评得分\r\n2164240001,1,2\r\n"u8.ToArray(), "自评.csv", Cycle, ct);
        claimed.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Forbidden);
        var account = await accounts.CreateAsync(BureauCaller, "new-school", "新学校", Roles.School, School, Password, ct);
        account.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Forbidden);

        // Nothing of it was written: the school's sheet holds no entry and no level, and there is no new account.
        var sheet = await sheets.ReadAsync(SchoolCaller, School, Cycle, ct);
        sheet.Value.AppliedStars.ShouldBeNull();
        sheet.Value.Entries.ShouldBeEmpty();
        (await accounts.ListAsync(ct)).ShouldNotContain(a => a.Login == "new-school");

        // The bureau may write its column, but not beyond the item's points: invalid, the item named.
        var beyond = await sheets.EnterAsync(BureauCaller, School, Cycle, "1", null, new EntryValue(2, null, null, null), ct);
        beyond.Refusal.ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Invalid);
        beyond.Refusal.Errors.ShouldHaveSingleItem().ShouldBe(new FieldError("1", "指标 1：得分 2 不在 0～1 分之间或不是 0.5 分的整数倍"));

        // The same calls by those who may: done.
        (await sheets.SetAppliedStarsAsync(SchoolCaller, School, Cycle, "4", ct)).Value.AppliedStars.ShouldBe(4);
        (await sheets.EnterAsync(BureauCaller, School, Cycle, "1", null, new EntryValue(1, null, null, null), ct)).Value.Logged.ShouldBe(1);
        (await sheets.SetContactAsync(BureauCaller, School, "马老师", "0954-1234567", ct)).Value.Person.ShouldBe("马老师");
        // What the form prints in one cell is bounded: a paragraph for a name is invalid, the field named.
        var longName = await sheets.SetContactAsync(BureauCaller, School, new string('马', 41), null, ct);
        longName.Refusal.ShouldNotBeNull().Errors.ShouldHaveSingleItem().ShouldBe(new FieldError("person", "联系人最多 40 个字符，且不能换行"));
    }

    [Fact]
    public async Task The_api_and_the_command_line_give_the_refusal_of_the_use_case_word_for_word()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        var sheets = host.App.Services.GetRequiredService<ScoresheetService>();
        using var school = await HostFixture.ClientAsAsync(host, Roles.School, School, "王老师");

        var direct = await sheets.SetAppliedStarsAsync(SchoolCaller, School, Cycle, "6", CancellationToken.None);
        var refusal = direct.Refusal.ShouldNotBeNull();
        refusal.Kind.ShouldBe(RefusalKind.Invalid);
        refusal.Errors.ShouldHaveSingleItem().Field.ShouldBe("stars");
        refusal.Message.ShouldBe("申报星级“6”无法识别：应为 2 到 5 的整数；撤销申报时留空");

        var api = await school.PutAsJsonAsync($"/api/scoresheets/{Cycle}/{School}/applied-stars", new { stars = 6 });
        api.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("title").GetString().ShouldBe("申报星级未保存");
        problem.GetProperty("errors").GetProperty("stars")[0].GetString().ShouldBe(refusal.Message);

        var cli = await CliTests.RunWithInputAsync(null, ["scoresheet", "apply", "--cycle", Cycle.ToString(), "--org", School, "--stars", "6"], ("ConnectionStrings__Ingest", cs));
        (cli.ExitCode, cli.StdErr.Trim()).ShouldBe((1, "ingest: " + refusal.Message));

        // None of the three recorded a level.
        (await sheets.ReadAsync(SchoolCaller, School, Cycle, CancellationToken.None)).Value.AppliedStars.ShouldBeNull();
    }
}
