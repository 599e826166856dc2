using AngleSharp.Dom;
using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>Fills and posts the server-rendered forms as a browser without JavaScript would, antiforgery token included.</summary>
public static class PageForms
{
    private static readonly HtmlParser Parser = new();

    public static async Task<IHtmlDocument> GetPageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts the form that has the given hidden <c>_handler</c> name, with the fields it already holds plus <paramref name="values"/>.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string path, string formName, IDictionary<string, string> values)
    {
        var (fields, action) = await ReadFormAsync(client, path, formName);
        foreach (var (key, value) in values) fields[key] = value;
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>The fields (antiforgery token and handler name included) and the action of the form with the given <c>_handler</c> name.</summary>
    public static async Task<(Dictionary<string, string> Fields, string Action)> ReadFormAsync(HttpClient client, string path, string formName)
    {
        var page = await GetPageAsync(client, path);
        var form = page.Forms.FirstOrDefault(f => f.QuerySelector($"input[name=_handler][value={formName}]") is not null)
            ?? throw new InvalidOperationException($"no form '{formName}' on {path}");
        var fields = form.QuerySelectorAll("input[name]").OfType<IHtmlInputElement>()
            .Where(i => i.Type != "checkbox" || i.IsChecked)
            .ToDictionary(i => i.Name!, i => i.Value);
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? path : form.GetAttribute("action")!;
        return (fields, action);
    }

    public static async Task SignInAsync(HttpClient client, string userName, string password)
    {
        var response = await SubmitAsync(client, "/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        });
        // Signed in is a redirect away from /login (followed or not); a refused sign-in answers 200 with the form again.
        var signedIn = response.StatusCode == HttpStatusCode.Redirect
            || (response.StatusCode == HttpStatusCode.OK && response.RequestMessage?.RequestUri?.AbsolutePath != "/login");
        if (!signedIn)
            throw new InvalidOperationException($"sign-in of {userName} answered {response.StatusCode} at {response.RequestMessage?.RequestUri}");
    }
}
