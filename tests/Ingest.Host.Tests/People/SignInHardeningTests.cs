using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ingest.Application.People;
using Ingest.Testing;
using static Ingest.Host.Tests.People.People;

namespace Ingest.Host.Tests.People;

/// <summary>
/// Sign-in and tokens as a stranger would attack them: guesses in parallel, from many logins at one address, to keep an
/// owner locked out; a cookie copied before sign-out; a token outliving its time or its account; floods.
/// </summary>
public class SignInHardeningTests
{
    private static readonly (string, string)[] Generous =
    [
        ("Ingest:People:SignInsPerAddressPerMinute", "1000"), ("Ingest:People:SignInsPerLoginPerMinute", "1000"), ("Ingest:People:AddressFailures", "1000"),
    ];

    [Fact]
    public async Task Guesses_in_parallel_check_no_more_passwords_than_the_limit_and_the_owner_still_gets_in_from_another_address()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, settings: BehindProxy(Generous));
        await SeedAsync(host);
        await CreateAccountAsync(host, "chengguan1", "城关一小", "school", School);

        // Forty guesses at once from the stranger's address.
        var guesses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => SignInAsync(host, "chengguan1", "猜的口令-" + i, from: "203.0.113.9")));
        guesses.ShouldAllBe(g => g.Response.StatusCode == HttpStatusCode.OK);

        var checkedPasswords = await HostFixture.ScalarAsync<long>(cs,
            "SELECT count(*) FROM ingest.audit_event WHERE action = 'auth.sign_in_failed' AND new_value->>'reason' LIKE 'password%'");
        checkedPasswords.ShouldBeInRange(1, 6, "five tries counted before any is judged, and at most one more from an address not yet failed");
        (await HostFixture.ScalarAsync<bool>(cs, "SELECT locked_until > now() FROM ingest.account WHERE login = 'chengguan1'")).ShouldBeTrue();

        // The stranger's address stays out even with the right password; the owner's own address is let through.
        var (_, stranger) = await SignInAsync(host, "chengguan1", Password, from: "203.0.113.9");
        SignInError(await stranger.Content.ReadAsStringAsync()).ShouldBe(AccountService.SignInFailed);
        var (owner, ownerSignIn) = await SignInAsync(host, "chengguan1", Password, from: "198.51.100.20");
        ownerSignIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, "the owner at an address that has not failed is not kept out");
        (await owner.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await HostFixture.ScalarAsync<int>(cs, "SELECT failed_sign_ins FROM ingest.account WHERE login = 'chengguan1'")).ShouldBe(0);
    }

    [Fact]
    public async Task An_address_that_fails_too_often_is_refused_whatever_login_it_names()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, settings: BehindProxy(
            ("Ingest:People:SignInsPerAddressPerMinute", "1000"), ("Ingest:People:AddressFailures", "5")));
        await SeedAsync(host);
        await CreateAccountAsync(host, "chengguan1", "城关一小", "school", School);

        for (var i = 0; i < 5; i++)
        {
            await SignInAsync(host, "guess-" + i, "随便什么口令", from: "203.0.113.7");
        }

        var (_, refused) = await SignInAsync(host, "chengguan1", Password, from: "203.0.113.7");
        SignInError(await refused.Content.ReadAsStringAsync()).ShouldBe(AccountService.SignInFailed, "throttled by address before the password is looked at");
        (await HostFixture.ScalarAsync<string>(cs, "SELECT new_value->>'reason' FROM ingest.audit_event WHERE action = 'auth.sign_in_failed' ORDER BY id DESC LIMIT 1"))
            .ShouldBe("address_throttled");
        (await HostFixture.ScalarAsync<int>(cs, "SELECT failed_sign_ins FROM ingest.account WHERE login = 'chengguan1'")).ShouldBe(0, "the account is not charged for the address");
        var (_, elsewhere) = await SignInAsync(host, "chengguan1", Password, from: "198.51.100.20");
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Too_many_sign_in_posts_or_token_requests_are_answered_429_with_retry_after()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs, settings: BehindProxy(
            ("Ingest:People:SignInsPerAddressPerMinute", "3"), ("Ingest:People:SignInsPerLoginPerMinute", "2"), ("Ingest:People:TokenRequestsPerMinute", "3")));
        await SeedAsync(host);

        // Per address: the fourth post from one address in a minute.
        var fromOne = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            fromOne.Add((await SignInAsync(host, "login-" + i, "口令口令口令", from: "203.0.113.1")).Response.StatusCode);
        }

        fromOne.ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);

        // Per login: the third post naming one login, from three addresses.
        var (_, a) = await SignInAsync(host, "same-login", "口令口令口令", from: "203.0.113.2");
        var (_, b) = await SignInAsync(host, "same-login", "口令口令口令", from: "203.0.113.3");
        var (_, c) = await SignInAsync(host, "SAME-login", "口令口令口令", from: "203.0.113.4");
        (a.StatusCode, b.StatusCode, c.StatusCode).ShouldBe((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests));
        int.Parse(c.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(1, 60);
        (await c.Content.ReadAsStringAsync()).ShouldContain("请求过于频繁");

        // Per token.
        using var script = await HostFixture.ClientAsAsync(host, "auditor", "640000", "审计脚本");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await script.GetAsync("/api/me"));
        }

        answers.Select(r => r.StatusCode).ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);
        answers[3].Headers.RetryAfter.ShouldNotBeNull();
        (await answers[3].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldStartWith("请求过于频繁");
    }

    [Fact]
    public async Task Sign_out_ends_the_session_on_the_server_so_a_copied_cookie_is_refused_and_a_session_ends_at_its_lifetime()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        await CreateAccountAsync(host, "jingyuan-li", "李老师", "bureau", "640424");

        var jar = new CookieContainer();
        var (browser, _) = await SignInAsync(host, "jingyuan-li", Password, jar: jar);
        using var thief = HostFixture.Client(host);
        thief.DefaultRequestHeaders.Add("Cookie", jar.GetCookieHeader(HostFixture.Address(host)));
        (await thief.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.OK, "the copy works while the session is open");

        var token = FormToken(await browser.GetStringAsync("/counties/640424/school:2025"));
        (await browser.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token })))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await thief.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "signed out on the server, not only in the browser");

        // A session is over at its absolute lifetime however busy it is.
        var (again, _) = await SignInAsync(host, "jingyuan-li", Password);
        (await again.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await HostFixture.ScalarAsync<bool>(cs, "SELECT bool_and(abs(extract(epoch FROM expires_at - created_at) - 43200) < 1) FROM ingest.session")).ShouldBeTrue();
        await HostFixture.ScalarAsync<int>(cs, "UPDATE ingest.session SET expires_at = now() - interval '1 second' WHERE ended_at IS NULL RETURNING 1");
        (await again.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_expires_and_stops_with_its_account()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        await CreateAccountAsync(host, "jingyuan-li", "李老师", "bureau", "640424");
        await CreateAccountAsync(host, "ops-zhang", "张运维", "ops", "640000");
        using var ops = await HostFixture.ClientAsAsync(host, "ops", "640000", "运维值班");

        var created = await (await ops.PostAsJsonAsync("/api/tokens", new { name = "泾源县同步脚本", role = "bureau", scope = "640424", account = "jingyuan-li" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        created.GetProperty("account").GetString().ShouldBe("jingyuan-li");
        (created.GetProperty("expiresAt").GetDateTimeOffset() - TimeProvider.System.GetUtcNow()).TotalDays.ShouldBeInRange(364.9, 365.1, "a year by default");
        using var script = HostFixture.Client(host);
        script.DefaultRequestHeaders.Authorization = new("Bearer", created.GetProperty("token").GetString());
        (await script.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await ops.PostAsync("/api/accounts/jingyuan-li/disable", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var stopped = await script.GetAsync("/api/me");
        stopped.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await stopped.Content.ReadAsStringAsync()).ShouldContain("令牌所属账号已停用");
        (await ops.PostAsync("/api/accounts/jingyuan-li/enable", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await script.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var shortLived = await (await ops.PostAsJsonAsync("/api/tokens", new { name = "临时", role = "auditor", scope = "640000", days = 1, account = "ops-zhang" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        (shortLived.GetProperty("expiresAt").GetDateTimeOffset() - TimeProvider.System.GetUtcNow()).TotalHours.ShouldBeInRange(23.9, 24.1);
        using var temporary = HostFixture.Client(host);
        temporary.DefaultRequestHeaders.Authorization = new("Bearer", shortLived.GetProperty("token").GetString());
        (await temporary.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await HostFixture.ScalarAsync<int>(cs, $"UPDATE ingest.api_token SET expires_at = now() - interval '1 minute' WHERE id = {shortLived.GetProperty("id").GetInt64()} RETURNING 1");
        var expired = await temporary.GetAsync("/api/me");
        expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await expired.Content.ReadAsStringAsync()).ShouldContain("令牌已过期");
        (await (await ops.PostAsJsonAsync("/api/tokens", new { name = "无主", role = "auditor", scope = "640000", account = "nobody" })).Content.ReadAsStringAsync())
            .ShouldContain("没有登录名为“nobody”的账号");
    }

    [Fact]
    public async Task The_services_own_role_can_only_read_and_append_to_the_audit_trail()
    {
        var cs = await HostFixture.DatabaseAsync();
        await using var host = await HostFixture.StartAsync(cs);
        await SeedAsync(host);
        await CreateAccountAsync(host, "chengguan1", "城关一小", "school", School);
        var service = host.Database.ConnectionString;
        new Npgsql.NpgsqlConnectionStringBuilder(service).Username.ShouldBe("ingest_app");
        (await HostFixture.ScalarAsync<long>(service, "SELECT count(*) FROM ingest.audit_event")).ShouldBeGreaterThan(0, "it reads the trail");

        foreach (var sql in new[]
                 {
                     "DELETE FROM ingest.audit_event", "UPDATE ingest.audit_event SET actor = '某人'", "TRUNCATE ingest.audit_event",
                     "ALTER TABLE ingest.audit_event DISABLE TRIGGER USER", "DROP TABLE ingest.audit_event",
                 })
        {
            var refused = await Should.ThrowAsync<Npgsql.PostgresException>(() => HostFixture.ScalarAsync<int>(service, sql), sql);
            refused.SqlState.ShouldBeOneOf(["42501"], $"{sql}: {refused.MessageText}");
        }

        (await HostFixture.ScalarAsync<bool>(cs, "SELECT tableowner <> 'ingest_app' FROM pg_tables WHERE tablename = 'audit_event'")).ShouldBeTrue();
    }
}
