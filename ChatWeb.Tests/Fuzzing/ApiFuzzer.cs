using System.Net.Http.Headers;
using AngleSharp.Html.Parser;

namespace ChatWeb.Tests.Fuzzing;

/// <summary>What the API pass did: how many requests, and the status codes they got.</summary>
public sealed record ApiFuzzReport(int Bodies, IReadOnlyDictionary<int, int> Statuses);

/// <summary>
/// Sends the API requests over a few lanes, each a client of its own. Every answer must be a deliberate
/// one: no 5xx, and no stack trace or exception name in the body.
/// </summary>
public static class ApiFuzzer
{
    public static async Task<ApiFuzzReport> RunAsync(Uri baseAddress, FuzzPlan plan, string bearerToken, int lanes, CancellationToken cancellationToken)
    {
        var statuses = new Dictionary<int, int>();

        async Task LaneAsync(int lane)
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
            {
                BaseAddress = baseAddress,
                Timeout = TimeSpan.FromSeconds(30),
            };
            var antiforgery = await AntiforgeryAsync(http, cancellationToken);
            for (var index = lane; index < plan.ApiBodies; index += lanes)
            {
                var request = ApiFuzzBodies.Create(plan.Seed, index);
                using var message = Build(request, bearerToken, antiforgery);
                HttpResponseMessage response;
                try
                {
                    response = await http.SendAsync(message, cancellationToken);
                }
                catch (HttpRequestException ex)
                {
                    throw new FuzzFailure($"API lane {lane}: the request failed ({ex.Message})", request.ToString());
                }
                using (response)
                {
                    var status = (int)response.StatusCode;
                    lock (statuses) statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    if (status >= 500) throw new FuzzFailure($"API lane {lane}: {status} {response.ReasonPhrase}: {body[..Math.Min(body.Length, 500)]}", request.ToString());
                    if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
                        throw new FuzzFailure($"API lane {lane}: the answer shows server internals: {body[..Math.Min(body.Length, 500)]}", request.ToString());
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, lanes).Select(lane => Task.Run(() => LaneAsync(lane), cancellationToken)));
        return new ApiFuzzReport(plan.ApiBodies, statuses);
    }

    private static HttpRequestMessage Build(ApiRequest request, string bearerToken, (string Cookie, string Token) antiforgery)
    {
        var body = request.Body;
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Auth == ApiAuth.Bearer) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        if (request.Auth == ApiAuth.FormWithAntiforgery)
        {
            message.Headers.Add("Cookie", antiforgery.Cookie);
            body = [.. body, .. "&__RequestVerificationToken="u8, .. System.Text.Encoding.ASCII.GetBytes(Uri.EscapeDataString(antiforgery.Token))];
        }
        if (request.Method is not ("GET" or "HEAD") || body.Length > 0)
        {
            message.Content = new ByteArrayContent(body);
            if (request.ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }
        return message;
    }

    /// <summary>The antiforgery cookie and token of the register page, as a browser would hold them.</summary>
    private static async Task<(string Cookie, string Token)> AntiforgeryAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var page = await http.GetAsync("/register", cancellationToken);
        var cookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("chatweb.antiforgery=", StringComparison.Ordinal)).Split(';')[0];
        var html = await page.Content.ReadAsStringAsync(cancellationToken);
        var token = new HtmlParser().ParseDocument(html).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return (cookie, token);
    }
}
