using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Security;

/// <summary>
/// A name is shown to everybody (online list, messages, TCP lines), so markup must never become one.
/// Every door that creates an account refuses it with the reason, and the refused text is shown back as text.
/// </summary>
public sealed class MarkupInNamesTests : ServerTest
{
    public const string Payload = "<img src=x onerror=alert(1)>";
    private const string Reason = "User name must be 1-32 letters or digits, plus _ - .";

    [Fact]
    public async Task RegistrationApiRefusesMarkupAsANameWithTheReason()
    {
        var response = await App.RegisterAsync(Payload, "password-1");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Reason, problem.GetProperty("errors").GetProperty("userName")[0].GetString());
        Assert.DoesNotContain("<img", await File.ReadAllTextAsync(Path.Combine(App.DataDirectory, "logins.csv")));
    }

    [Fact]
    public async Task RegisterFormRefusesMarkupAsANameAndShowsItBackOnlyAsText()
    {
        using var client = App.NewClient();
        var response = await PageForms.SubmitAsync(client, "/register", "register", new Dictionary<string, string>
        {
            ["Input.UserName"] = Payload,
            ["Input.Password"] = "password-1",
            ["Input.Repeat"] = "password-1",
        });

        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("/register", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(Reason, page.QuerySelector("#register-errors li")!.TextContent);
        // What was typed is kept in the field, as its value: no element came out of it.
        Assert.Equal(Payload, ((IHtmlInputElement)page.QuerySelector("#register-name")!).Value);
        Assert.Empty(page.QuerySelectorAll("img"));
        Assert.DoesNotContain("<img", await File.ReadAllTextAsync(Path.Combine(App.DataDirectory, "logins.csv")));
    }

    [Fact]
    public async Task TcpPromptRefusesMarkupAsAName()
    {
        await using var client = await TcpTestClient.ConnectAsync(App);
        await client.ExpectAsync("Enter your name:");

        await client.SendAsync(Payload);

        await client.ExpectAsync("! " + Reason);
        await client.ExpectAsync("Enter your name:");
    }
}
