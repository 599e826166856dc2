using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>The account API as a script would call it, against either kind of test server.</summary>
public static class Api
{
    public const string DefaultPassword = "password-1";

    public static async Task<HttpResponseMessage> RegisterAsync(this IChatWebServer server, string userName, string password)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        return await http.PostAsJsonAsync("/api/account/register", new { userName, password });
    }

    public static async Task<HttpResponseMessage> RequestTokenAsync(this IChatWebServer server, string userName, string password)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        return await http.PostAsJsonAsync("/api/account/token", new { userName, password });
    }

    /// <summary>Registers a name that must be new: the answer is 201 Created.</summary>
    public static async Task RegisterNewAsync(this IChatWebServer server, string userName, string password = DefaultPassword)
    {
        using var registered = await server.RegisterAsync(userName, password);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    /// <summary>Registers (when new) and returns an access token.</summary>
    public static async Task<string> SignUpAsync(this IChatWebServer server, string userName, string password = DefaultPassword)
    {
        var registered = await server.RegisterAsync(userName, password);
        Assert.True(registered.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"register {userName}: {registered.StatusCode}");
        return await server.TokenAsync(userName, password);
    }

    public static async Task<string> TokenAsync(this IChatWebServer server, string userName, string password = DefaultPassword)
    {
        var response = await server.RequestTokenAsync(userName, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("accessToken").GetString()!;
    }
}
