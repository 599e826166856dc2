using System.Net;
using System.Net.Http.Json;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Security;

/// <summary>
/// One budget of sign-in attempts per client network (an IPv4 address, or an IPv6 /64), whatever door the
/// attempts come through: the API, the forms and the TCP prompts, the TCP name prompt included.
/// </summary>
public sealed class SignInBudgetSharingTests
{
    private const string TooManyLine = "! too many sign-in attempts from your address; try again in a minute";

    [Fact]
    public async Task TheThirtyFirstAttemptAcrossApiFormsAndTcpIsRefusedAtEveryDoor()
    {
        await using var app = new ChatWebApplication(settings: SignInBudgetPathTests.Budget(30));
        for (var i = 1; i <= 10; i++)                                                                   // 1-10
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.RequestTokenAsync($"ghost{i}", "wrong-password")).StatusCode);
        using var browser = app.NewClient();
        for (var i = 1; i <= 10; i++)                                                                   // 11-20
        {
            var form = await SignInFormAsync(browser, $"ghost{i}");
            Assert.Contains("Wrong name or password.", await form.Content.ReadAsStringAsync());
        }
        for (var i = 1; i <= 10; i++)                                                                   // 21-30
        {
            // Asking whether a name exists is an attempt too ("Hello again" tells an account exists).
            await using var probe = await TcpTestClient.ConnectAsync(app);
            await probe.ExpectAsync("Enter your name:");
            await probe.SendAsync($"newcomer{i}");
            await probe.ExpectAsync($"New user newcomer{i}. Choose a password:");
        }

        var api = await app.RequestTokenAsync("ghost1", "wrong-password");
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal("60", api.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInFormAsync(browser, "ghost1")).StatusCode);
        await using var tcp = await TcpTestClient.ConnectAsync(app);
        await tcp.ExpectAsync("Enter your name:");
        await tcp.SendAsync("newcomer11");
        Assert.Equal([TooManyLine], await tcp.ReadToEndAsync());
    }

    [Fact]
    public async Task AttemptsRacingEachOtherGetExactlyTheBudget()
    {
        await using var app = new ChatWebApplication(settings: SignInBudgetPathTests.Budget(30));
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = app.BaseAddress };
        var answers = await Task.WhenAll(Enumerable.Range(0, 45).Select(async i =>
            (await client.PostAsJsonAsync("/api/account/token", new { userName = $"ghost{i}", password = "wrong-password" })).StatusCode));

        Assert.Equal(30, answers.Count(a => a == HttpStatusCode.Unauthorized));
        Assert.Equal(15, answers.Count(a => a == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task TheTcpNamePromptSpendsOneAttemptPerName()
    {
        await using var app = new ChatWebApplication(settings: SignInBudgetPathTests.Budget(3));
        await app.RegisterNewAsync("hana");                                                             // 1
        await using var client = await TcpTestClient.ConnectAsync(app);
        await client.ExpectAsync("Enter your name:");
        await client.SendAsync("hana");                                                                 // 2
        await client.ExpectAsync("Hello again, hana! Enter your password:");
        await client.SendAsync("exit");
        Assert.Empty(await client.ReadToEndAsync());

        await using var second = await TcpTestClient.ConnectAsync(app);
        await second.ExpectAsync("Enter your name:");
        await second.SendAsync("stranger");                                                             // 3
        await second.ExpectAsync("New user stranger. Choose a password:");
        await second.SendAsync("exit");
        Assert.Empty(await second.ReadToEndAsync());

        // Over budget the name prompt says so and closes, as the password prompt does; nothing tells whether the name exists.
        await using var third = await TcpTestClient.ConnectAsync(app);
        await third.ExpectAsync("Enter your name:");
        await third.SendAsync("hana");
        Assert.Equal([TooManyLine], await third.ReadToEndAsync());
    }

    [Fact]
    public async Task AddressesOfOneIpv6SlashSixtyFourShareOneBudget()
    {
        await using var app = new ChatWebApplication(settings: BehindProxy(30));
        for (var i = 1; i <= 30; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await TokenViaProxyAsync(app, $"2001:db8:7:1::{i:x}")).StatusCode);

        // Another address of the same /64 (every bit of the interface half differs): the same budget.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TokenViaProxyAsync(app, "2001:db8:7:1:ffff:ffff:ffff:ffff")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TokenViaProxyAsync(app, "[2001:DB8:7:1:8000::1]:443")).StatusCode);
        // The neighbouring /64 is another network with a budget of its own, and so is an IPv4 client.
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenViaProxyAsync(app, "2001:db8:7:2::1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenViaProxyAsync(app, "203.0.113.7")).StatusCode);
    }

    [Fact]
    public async Task AnIpv4AddressMappedToIpv6CountsAsTheIpv4Address()
    {
        await using var app = new ChatWebApplication(settings: BehindProxy(2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenViaProxyAsync(app, "203.0.113.9")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenViaProxyAsync(app, "::ffff:203.0.113.9")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TokenViaProxyAsync(app, "[::ffff:cb00:7109]:80")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenViaProxyAsync(app, "203.0.113.10")).StatusCode);
    }

    private static Dictionary<string, string?> BehindProxy(int attempts)
    {
        var settings = SignInBudgetPathTests.Budget(attempts);
        settings["Security:KnownProxies:0"] = "127.0.0.1";
        return settings;
    }

    private static async Task<HttpResponseMessage> TokenViaProxyAsync(ChatWebApplication app, string forwardedFor)
    {
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        // A name of its own each time: five failures under one name would lock it (423) before the budget is spent.
        return await client.PostAsJsonAsync("/api/account/token", new { userName = $"nobody{Guid.NewGuid():N}"[..24], password = "wrong-password" });
    }

    private static Task<HttpResponseMessage> SignInFormAsync(HttpClient browser, string name) =>
        PageForms.SubmitAsync(browser, "/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = name,
            ["Input.Password"] = "wrong-password",
        });
}
