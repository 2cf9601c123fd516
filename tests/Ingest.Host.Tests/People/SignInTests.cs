using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ingest.Application.People;
using Ingest.Host.Operations;
using Ingest.Host.Scoring;
using Ingest.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Ingest.Host.Tests.People.People;

namespace Ingest.Host.Tests.People;

/// <summary>Browsers sign in with a password, scripts with a token; both stop working the moment ops says so.</summary>
[RunsLong]
public class SignInTests
{
    [Fact]
    public async Task A_browser_signs_in_writes_with_the_antiforgery_token_and_is_refused_at_once_when_disabled()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        await CreateAccountAsync(host, "jingyuan-li", "李老师", "bureau", "640424");

        // The password is stored as a PasswordHasher hash (format 3: PBKDF2 with a salt), never as typed.
        var hash = await HostFixture.ScalarAsync<string>(cs, "SELECT password_hash FROM ingest.account WHERE login = 'jingyuan-li'");
        hash.ShouldNotContain(Password);
        Convert.FromBase64String(hash)[0].ShouldBe((byte)1, "format marker of PasswordHasher v3");
        new PasswordHasher<string>().VerifyHashedPassword("jingyuan-li", hash, Password).ShouldNotBe(PasswordVerificationResult.Failed);

        var (browser, signedIn) = await SignInAsync(host, "JingYuan-Li", Password);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        signedIn.Headers.Location!.ToString().ShouldBe("/");
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ingest.auth=", StringComparison.Ordinal));
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=lax", Case.Insensitive);
        // The start page of a bureau is its county.
        var home = await browser.GetAsync("/");
        home.Headers.Location!.ToString().ShouldBe("/counties/640424/school:2025");

        // A JSON write from the browser session needs the antiforgery token the page gets from /api/me.
        const string entries = "/api/scoresheets/school:2024/" + School + "/entries";
        var body = new EntryBody("1", null, 1, null, null, null);
        var forged = await browser.PostAsJsonAsync(entries, body);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await forged.Content.ReadAsStringAsync()).ShouldContain("防伪令牌");
        var me = (await browser.GetFromJsonAsync<JsonElement>("/api/me"))!;
        me.GetProperty("roleTitle").GetString().ShouldBe("教育局");
        browser.DefaultRequestHeaders.Add("X-CSRF-TOKEN", me.GetProperty("requestToken").GetString());
        (await browser.PostAsJsonAsync(entries, body)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Ops disables the account: the very next request of the open session is refused.
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");
        (await ops.PostAsync("/api/accounts/jingyuan-li/disable", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await browser.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var (_, again) = await SignInAsync(host, "jingyuan-li", Password);
        SignInError(await again.Content.ReadAsStringAsync()).ShouldBe(AccountService.SignInFailed, "a disabled account reads as any failure");

        // A form post without the antiforgery token is refused before the password is looked at.
        using var bare = HostFixture.Client(host);
        var noToken = await bare.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = "x", ["password"] = "y" }));
        noToken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one_and_a_new_password_ends_old_sessions()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        await CreateAccountAsync(host, "chengguan1", "城关一小", "school", School);
        var (session, _) = await SignInAsync(host, "chengguan1", Password);
        (await session.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Every failure reads the same, whether the login exists, the password is wrong or the account is locked.
        for (var i = 1; i <= 5; i++)
        {
            var (_, wrong) = await SignInAsync(host, "chengguan1", "错误的口令-" + i);
            wrong.StatusCode.ShouldBe(HttpStatusCode.OK);
            SignInError(await wrong.Content.ReadAsStringAsync()).ShouldBe(AccountService.SignInFailed);
        }

        (await HostFixture.ScalarAsync<bool>(cs, "SELECT locked_until > now() FROM ingest.account WHERE login = 'chengguan1'")).ShouldBeTrue();
        var (_, right) = await SignInAsync(host, "chengguan1", Password);
        right.StatusCode.ShouldBe(HttpStatusCode.OK, "the page again, not a redirect into the service");
        SignInError(await right.Content.ReadAsStringAsync()).ShouldBe(AccountService.SignInFailed);
        var (_, unknown) = await SignInAsync(host, "nobody", Password);
        SignInError(await unknown.Content.ReadAsStringAsync()).ShouldBe(AccountService.SignInFailed);
        var reasons = (await HostFixture.ScalarAsync<string>(cs,
            "SELECT string_agg(new_value->>'reason', ',' ORDER BY id) FROM ingest.audit_event WHERE action = 'auth.sign_in_failed'"));
        reasons.ShouldBe("password,password,password,password,password,locked,unknown", "the trail keeps the real reason");

        // A new password lifts the lock and signs out the session that was open.
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");
        (await ops.PutAsJsonAsync("/api/accounts/chengguan1/password", new { password = "另一个开发口令-2026" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await session.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var (_, fresh) = await SignInAsync(host, "chengguan1", "另一个开发口令-2026");
        fresh.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_token_is_shown_once_stored_as_a_hash_listed_with_its_last_use_and_refused_once_revoked()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var created = await ops.PostAsJsonAsync("/api/tokens", new { name = "泾源县同步脚本", role = "bureau", scope = "640424" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var answer = await created.Content.ReadFromJsonAsync<JsonElement>();
        var token = answer.GetProperty("token").GetString()!;
        token.ShouldStartWith("ingest_");
        (await HostFixture.ScalarAsync<long>(cs, $"SELECT count(*) FROM ingest.api_token WHERE token_hash = sha256(convert_to('{token}', 'UTF8'))")).ShouldBe(1);
        (await HostFixture.ScalarAsync<long>(cs, $"SELECT count(*) FROM ingest.api_token WHERE prefix = '{token}' OR position('{token}' in name) > 0")).ShouldBe(0);

        using var script = HostFixture.Client(host);
        script.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        (await script.PostAsJsonAsync($"/api/scoresheets/school:2024/{School}/entries", new EntryBody("1", null, 1, null, null, null))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var listed = (await ops.GetFromJsonAsync<JsonElement[]>("/api/tokens"))!.Single(t => t.GetProperty("name").GetString() == "泾源县同步脚本");
        listed.GetProperty("lastUsedAt").ValueKind.ShouldBe(JsonValueKind.String);
        listed.TryGetProperty("token", out _).ShouldBeFalse();

        (await ops.DeleteAsync($"/api/tokens/{answer.GetProperty("id").GetInt64()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var refused = await script.GetAsync($"/api/scoresheets/school:2024/{School}");
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("令牌已吊销");
        script.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "ingest_guessed");
        (await script.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_Hangfire_dashboard_admits_signed_in_ops_only_even_from_loopback()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        await CreateAccountAsync(host, "ops-zhang", "张运维", "ops", "640000");
        await CreateAccountAsync(host, "ting-wang", "王处长", "department", "640000");

        using var anonymous = HostFixture.Client(host);
        var refused = await anonymous.GetAsync("/hangfire");
        refused.StatusCode.ShouldBe(HttpStatusCode.Redirect, "a loopback request without sign-in is not trusted");
        refused.Headers.Location!.AbsolutePath.ShouldBe("/signin");
        var (department, _) = await SignInAsync(host, "ting-wang", Password);
        var denied = await department.GetAsync("/hangfire");
        denied.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await denied.Content.ReadAsStringAsync()).ShouldContain("不能打开此页面");
        var (ops, _) = await SignInAsync(host, "ops-zhang", Password);
        var admitted = await ops.GetAsync("/hangfire");
        admitted.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admitted.Content.ReadAsStringAsync()).ShouldContain("Hangfire");
    }

    [Fact]
    public async Task The_audit_trail_keeps_every_kind_of_write_and_the_database_refuses_to_change_it()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, new TestConnector());
        await SeedAsync(host);
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");
        using var bureau = await HostFixture.ClientAsAsync(host, "bureau", "640424", "李老师");
        using var school = await HostFixture.ClientAsAsync(host, "school", School, "城关一小");
        const string sheet = "/api/scoresheets/school:2024/" + School;

        (await ops.PostAsJsonAsync("/api/accounts", new { login = "xiji-ma", displayName = "马老师", role = "教育局", scope = "640422", password = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await ops.PostAsync("/api/accounts/xiji-ma/disable", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await ops.PostAsync("/api/accounts/xiji-ma/enable", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await ops.PutAsJsonAsync("/api/accounts/xiji-ma/password", new { password = "新的开发口令-2026" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var token = await (await ops.PostAsJsonAsync("/api/tokens", new { name = "脚本", role = "auditor", scope = "640000" })).Content.ReadFromJsonAsync<JsonElement>();
        (await ops.DeleteAsync($"/api/tokens/{token.GetProperty("id").GetInt64()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await ops.PostAsJsonAsync("/api/runs", new StartRunBody(null, "2023", ["640424"], null))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await bureau.PostAsync(sheet, null)).StatusCode.ShouldBe(HttpStatusCode.OK); // opens (pre-fills) it
        (await bureau.PostAsync(sheet, null)).StatusCode.ShouldBe(HttpStatusCode.OK); // re-scores it
        (await bureau.PostAsJsonAsync(sheet + "/entries", new EntryBody("22", null, 2.5m, null, null, null))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bureau.PostAsJsonAsync(sheet + "/entries", new EntryBody("22", null, null, null, null, "录错", Withdraw: true))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var form = await bureau.GetByteArrayAsync(sheet + "/fill.xlsx");
        (await bureau.PostAsync(sheet + "/import?fileName=a.xlsx", new ByteArrayContent(Scoring.FormFiller.Fill(form, [("1", "填写", "1")])))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await school.PutAsJsonAsync(sheet + "/applied-stars", new { stars = 4 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await school.PutAsJsonAsync($"/api/organisations/{School}/contact", new ContactBody("马晓燕", "0954-5012345", "别人"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var (browser, _) = await SignInAsync(host, "xiji-ma", "新的开发口令-2026");
        await SignInAsync(host, "xiji-ma", "错误的口令");
        var signOutToken = FormToken(await browser.GetStringAsync("/counties/640422/school:2025"));
        (await browser.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = signOutToken })))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // The run started above ends (and re-scores the sheet it reads, which the trail records) before the trail is read.
        await HostFixture.WaitForJobsAsync(cs);
        var trail = (await ops.GetFromJsonAsync<Data.Audit.AuditRecord[]>("/api/audit?limit=1000", Scoring.ScoresheetApiTests.Json))!;
        trail.Select(a => a.Action).Distinct().Order(StringComparer.Ordinal).ShouldBe(
        [
            "account.create", "account.disable", "account.enable", "account.password", "auth.sign_in", "auth.sign_in_failed", "auth.sign_out",
            "org.contact", "run.start", "score.entry", "score.withdraw", "sheet.applied_stars", "sheet.open", "sheet.rescore", "token.create", "token.revoke",
        ]);
        var withdrawal = trail.Single(a => a.Action == "score.withdraw");
        (withdrawal.Actor, withdrawal.Role, withdrawal.Scope, withdrawal.OrgCode, withdrawal.Subject).ShouldBe(("李老师", "bureau", "640424", School, "school:2024 bureau 22"));
        withdrawal.OldValue!.Value.GetProperty("score").GetDecimal().ShouldBe(2.5m);
        withdrawal.NewValue!.Value.GetProperty("entry").GetProperty("reason").GetString().ShouldBe("录错");
        withdrawal.Address.ShouldBe("127.0.0.1");
        trail.Single(a => a.Action == "score.entry" && a.Subject == "school:2024 bureau 1").NewValue!.Value.GetProperty("file").GetString().ShouldBe("a.xlsx");
        var contact = trail.Single(a => a.Action == "org.contact");
        (contact.Actor, contact.NewValue!.Value.GetProperty("person").GetString()).ShouldBe(("城关一小", "马晓燕"));
        trail.Single(a => a.Action == "auth.sign_in_failed").NewValue!.Value.GetProperty("reason").GetString().ShouldBe("password");
        trail.Single(a => a.Action == "sheet.applied_stars").NewValue!.Value.GetProperty("stars").GetInt32().ShouldBe(4);
        trail.ShouldAllBe(a => a.Action.StartsWith("auth.") ? a.Address == "127.0.0.1" : a.Actor.Length > 0);

        // Filters: by person, by organisation, by time.
        (await ops.GetFromJsonAsync<JsonElement[]>("/api/audit?person=李老师"))!.Length.ShouldBe(trail.Count(a => a.Actor == "李老师"));
        (await ops.GetFromJsonAsync<JsonElement[]>("/api/audit?org=" + School))!.Length.ShouldBe(trail.Count(a => a.OrgCode == School));
        (await ops.GetFromJsonAsync<JsonElement[]>("/api/audit?to=2000-01-01T00:00:00Z"))!.ShouldBeEmpty();

        // The table is append-only, whoever asks.
        foreach (var sql in new[] { "UPDATE ingest.audit_event SET actor = '某人'", "DELETE FROM ingest.audit_event", "TRUNCATE ingest.audit_event" })
        {
            var refused = await Should.ThrowAsync<PostgresException>(() => HostFixture.ScalarAsync<int>(cs, sql));
            refused.MessageText.ShouldContain("审计记录只能追加");
        }

        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.audit_event")).ShouldBe(trail.Length);
    }

    [Fact]
    public async Task A_session_signed_in_on_one_host_is_honoured_by_another_host_of_the_same_database()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var first = await HostFixture.StartAsync(cs);
        await using var second = await HostFixture.StartAsync(cs);
        await SeedAsync(first);
        await CreateAccountAsync(first, "jingyuan-li", "李老师", "bureau", "640424");

        var cookies = new System.Net.CookieContainer();
        using var viaFirst = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = HostFixture.Address(first) };
        var token = FormToken(await viaFirst.GetStringAsync("/signin"));
        (await viaFirst.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["login"] = "jingyuan-li", ["password"] = Password, ["__RequestVerificationToken"] = token,
        }))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // Cookies do not depend on the port: the same browser now reaches the other host.
        using var viaSecond = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = HostFixture.Address(second) };
        var me = await viaSecond.GetFromJsonAsync<JsonElement>("/api/me");
        me.GetProperty("name").GetString().ShouldBe("李老师");
        (await HostFixture.ScalarAsync<long>(cs, "SELECT count(*) FROM ingest.data_protection_key")).ShouldBe(1, "one key ring for both hosts");
    }

    [Fact]
    public async Task A_lock_runs_out_and_counting_starts_again()
    {
        var cs = await HostFixture.DatabaseAsync();
        // The service's clock is the test's: a lock runs out when the test moves time on, not after a real wait.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await HostFixture.StartAsync(cs, settings: new Dictionary<string, string?>
        {
            ["Ingest:People:LockoutAttempts"] = "2",
            ["Ingest:People:LockoutDuration"] = "00:15:00",
        }, services: s => s.AddSingleton<TimeProvider>(clock));
        await SeedAsync(host);
        await CreateAccountAsync(host, "chengguan1", "城关一小", "school", School);
        async Task<double> LockedForMinutes() =>
            (await HostFixture.ScalarAsync<DateTime>(cs, "SELECT locked_until FROM ingest.account WHERE login = 'chengguan1'") - clock.GetUtcNow().UtcDateTime).TotalMinutes;

        await SignInAsync(host, "chengguan1", "错误的口令-1");
        await SignInAsync(host, "chengguan1", "错误的口令-2");
        (await LockedForMinutes()).ShouldBe(15, 0.001, "the first lock lasts LockoutDuration");
        clock.Advance(TimeSpan.FromMinutes(14));
        var (_, stillLocked) = await SignInAsync(host, "chengguan1", Password);
        stillLocked.StatusCode.ShouldBe(HttpStatusCode.OK, "a minute before it runs out the lock holds (the form is shown again)");
        clock.Advance(TimeSpan.FromMinutes(1));

        // Counting starts again; the next lock in a row lasts twice as long.
        await SignInAsync(host, "chengguan1", "错误的口令-3");
        (await HostFixture.ScalarAsync<int>(cs, "SELECT failed_sign_ins FROM ingest.account WHERE login = 'chengguan1'")).ShouldBe(1);
        await SignInAsync(host, "chengguan1", "错误的口令-4");
        (await LockedForMinutes()).ShouldBe(30, 0.001, "the second lock in a row lasts twice the first");
        clock.Advance(TimeSpan.FromMinutes(30));
        var (_, right) = await SignInAsync(host, "chengguan1", Password);
        right.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await HostFixture.ScalarAsync<int>(cs, "SELECT locks FROM ingest.account WHERE login = 'chengguan1'")).ShouldBe(0, "a success ends the back-off");
        (await HostFixture.ScalarAsync<int>(cs, "SELECT failed_sign_ins FROM ingest.account WHERE login = 'chengguan1'")).ShouldBe(0);
    }
}
