using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ChatWeb.Server.Accounts;
using ChatWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ChatWeb.Tests.Accounts;

/// <summary>
/// Lockout for every password check, the change-password form's included (security review, finding 4), and answers
/// that do not tell which names exist (finding 8).
/// </summary>
public sealed class LockoutTests() : ServerTest(new Dictionary<string, string?> { ["Security:SignInAttemptsPerMinutePerIp"] = "0" })
{
    [Fact]
    public async Task WrongCurrentPasswordsOnTheChangeFormCountTowardTheLockout()
    {
        var token = await App.SignUpAsync("alice");
        using var http = App.NewClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        for (var i = 0; i < 5; i++)
        {
            var wrong = await http.PostAsJsonAsync("/api/account/password", new { currentPassword = $"guess-{i}-password", newPassword = "new-password" });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        // Locked for the change form and every other door, even with the right password.
        var locked = await http.PostAsJsonAsync("/api/account/password", new { currentPassword = Api.DefaultPassword, newPassword = "new-password" });
        Assert.Equal(HttpStatusCode.Locked, locked.StatusCode);
        Assert.Contains("locked", (await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Locked, (await App.RequestTokenAsync("alice", Api.DefaultPassword)).StatusCode);
    }

    [Fact]
    public async Task WrongPasswordsThroughTheChangePasswordPageCountTowardTheLockout()
    {
        await App.RegisterNewAsync("alice");
        using var browser = App.NewClient();
        await PageForms.SignInAsync(browser, "alice", Api.DefaultPassword);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await PageForms.SubmitAsync(browser, "/account/password", "password", new Dictionary<string, string>
            {
                ["Input.Current"] = $"guess-{i}-password",
                ["Input.New"] = "new-password",
                ["Input.Repeat"] = "new-password",
            });
            Assert.Contains("Incorrect password", await wrong.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.Locked, (await App.RequestTokenAsync("alice", Api.DefaultPassword)).StatusCode);
    }

    [Fact]
    public async Task AnUnknownNameAnswersLikeARealOneAndLocksAfterFiveFailures()
    {
        await App.RegisterNewAsync("alice");
        foreach (var name in new[] { "alice", "nobody" })
        {
            for (var i = 0; i < 5; i++)
            {
                var wrong = await App.RequestTokenAsync(name, $"guess-{i}-password");
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
                Assert.Equal("Wrong name or password", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
            }
            var locked = await App.RequestTokenAsync(name, "guess-5-password");
            Assert.Equal(HttpStatusCode.Locked, locked.StatusCode);
            Assert.Equal("Account locked", (await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }
        // Other names are not touched.
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("somebody-else", "guess-password")).StatusCode);
    }

    [Fact]
    public async Task AWrongPasswordForAnUnknownNameCostsOneHashLikeARealOne()
    {
        var hashes = new CountingHasher();
        await using var app = new ChatWebApplication(
            settings: new Dictionary<string, string?> { ["Security:SignInAttemptsPerMinutePerIp"] = "0" },
            services: s => s.AddSingleton<IPasswordHasher<ChatUser>>(hashes));
        await app.RegisterNewAsync("alice");

        var before = hashes.Verifications;
        await app.RequestTokenAsync("alice", "wrong-password");
        var forRealName = hashes.Verifications - before;
        before = hashes.Verifications;
        await app.RequestTokenAsync("nobody", "wrong-password");
        var forUnknownName = hashes.Verifications - before;

        Assert.Equal(1, forRealName);
        Assert.Equal(forRealName, forUnknownName);
    }

    /// <summary>Identity's own hasher, counting the checks it makes.</summary>
    private sealed class CountingHasher : IPasswordHasher<ChatUser>
    {
        private readonly PasswordHasher<ChatUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(ChatUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(ChatUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
