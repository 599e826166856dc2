using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>The account API as a script would call it.</summary>
public static class Api
{
    public static async Task<HttpResponseMessage> RegisterAsync(this ChatWebApplication app, string userName, string password)
    {
        using var http = app.NewClient();
        return await http.PostAsJsonAsync("/api/account/register", new { userName, password });
    }

    public static async Task<HttpResponseMessage> RequestTokenAsync(this ChatWebApplication app, string userName, string password)
    {
        using var http = app.NewClient();
        return await http.PostAsJsonAsync("/api/account/token", new { userName, password });
    }

    /// <summary>Registers (when new) and returns an access token.</summary>
    public static async Task<string> SignUpAsync(this ChatWebApplication app, string userName, string password = "password-1")
    {
        var registered = await app.RegisterAsync(userName, password);
        Assert.True(registered.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"register {userName}: {registered.StatusCode}");
        return await app.TokenAsync(userName, password);
    }

    public static async Task<string> TokenAsync(this ChatWebApplication app, string userName, string password)
    {
        var response = await app.RequestTokenAsync(userName, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("accessToken").GetString()!;
    }
}
