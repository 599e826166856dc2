using System.Text;
using System.Text.Json;

namespace ChatWeb.Tests.Fuzzing;

/// <summary>Credentials a request carries beyond its body.</summary>
public enum ApiAuth
{
    None,
    /// <summary>A fuzz user's access token as <c>Authorization: Bearer</c>.</summary>
    Bearer,
    /// <summary>A form post with the lane's real antiforgery token added, so the junk reaches the page's handler.</summary>
    FormWithAntiforgery,
}

/// <summary>One request thrown at the HTTP side.</summary>
public sealed record ApiRequest(int Index, string Kind, string Method, string Path, string? ContentType, byte[] Body, ApiAuth Auth)
{
    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 160)));
        return $"#{Index} {Kind}: {Method} {Path[..Math.Min(Path.Length, 100)]} [{ContentType ?? "no content type"}] ({Body.Length} bytes, {Auth}) {JsonSerializer.Serialize(text)}";
    }
}

/// <summary>
/// Malformed bodies for the account API and the sign-in forms, each made from the seed and its own
/// number only. Passwords are mostly shorter than 8 characters: a long one costs the server a PBKDF2
/// hash, and a thousand of those would measure the hash, not the parsing.
/// </summary>
public static class ApiFuzzBodies
{
    private const int HugeEvery = 200;

    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    private static readonly string[] AccountPaths = ["/api/account/register", "/api/account/token"];

    public static ApiRequest Create(int seed, int index)
    {
        var random = FuzzRandom.For(seed, FuzzDoor.Api, index);
        if (index % HugeEvery == HugeEvery / 2)
            return Json(index, "huge body", random.Pick(AccountPaths), Huge(random));

        return random.Next(100) switch
        {
            < 25 => Json(index, "malformed JSON", random.Pick(AccountPaths), Utf8.GetBytes(Malformed(random))),
            < 40 => Json(index, "wrong types and nulls", random.Pick(AccountPaths), Utf8.GetBytes(random.Pick(WrongTypes))),
            < 55 => Json(index, "unicode junk in names", random.Pick(AccountPaths), JunkName(random)),
            < 59 => Json(index, "deep nesting", random.Pick(AccountPaths), Utf8.GetBytes(Deep(random))),
            < 69 => new(index, "wrong content type", "POST", random.Pick(AccountPaths), random.Pick(ContentTypes), ShortCredentials(random), ApiAuth.None),
            < 74 => Json(index, "random bytes", random.Pick(AccountPaths), random.Bytes(random.Next(0, 2000))),
            < 86 => Form(random, index),
            < 93 => new(index, "odd path or method", random.Pick(Methods), random.Pick(OddPaths), "application/json", ShortCredentials(random), ApiAuth.None),
            _ => new(index, "password change junk", "POST", "/api/account/password", "application/json", Utf8.GetBytes(random.Pick(PasswordBodies)), random.Chance(80) ? ApiAuth.Bearer : ApiAuth.None),
        };
    }

    private static ApiRequest Json(int index, string kind, string path, byte[] body) => new(index, kind, "POST", path, "application/json", body, ApiAuth.None);

    private static byte[] ShortCredentials(Random random) =>
        Utf8.GetBytes(JsonSerializer.Serialize(new { userName = "fz" + random.Next(1_000_000), password = "short" }));

    private static byte[] JunkName(Random random)
    {
        var name = random.Next(4) switch
        {
            0 => random.NastyText(),
            1 => "<img src=x onerror=alert(1)>",
            2 => random.Words(random.Next(30, 40)),
            _ => random.Pick(["аdmin", "ADMIN", " admin ", "admin\u200B", "ad\u00ADmin", "𝕒𝕕𝕞𝕚𝕟", "Ａｄｍｉｎ", "e\u0301", "Жук", ".", "-", "_", "..", "a.b-c_d"]),
        };
        // Identity checks the password before the name: only a valid password lets the junk name reach the name rules.
        var json = JsonSerializer.Serialize(new { userName = name, password = random.Chance(20) ? "password-1" : "pw" });
        return Utf8.GetBytes(json);
    }

    private static string Malformed(Random random)
    {
        if (random.Chance(40))
        {
            // A good body cut anywhere.
            var whole = JsonSerializer.Serialize(new { userName = "fz" + random.Next(1000), password = "short" });
            return whole[..random.Next(0, whole.Length)];
        }
        return random.Pick(new[]
        {
            "", " ", "{", "}", "{\"userName\":}", "{\"userName\":\"a\",}", "{userName:\"a\",password:\"b\"}", "{'userName':'a','password':'b'}",
            "{\"userName\":\"a\" \"password\":\"b\"}", "{\"userName\":\"a\"}}", "{\"userName\":\"a\"}{\"userName\":\"b\"}", "[{\"userName\":\"a\"}]",
            "{\"userName\":NaN}", "{\"userName\":\"a\",\"password\":Infinity}", "{\"userName\":\"a\" /* comment */}", "// comment\n{}",
            "{\"userName\":\"\\x41\"}", "{\"userName\":\"\\u12\"}", "{\"userName\":\"\\ud800\",\"password\":\"pw\"}", "{\"userName\":\"\\udc00\\ud800\"}",
            "{\"userName\":\"\t\"}", "{\"userName\":\"a\u0000\"}", "\uFEFF{\"userName\":\"bom\",\"password\":\"pw\"}", "{\"userName\":\"a\",\"userName\":\"b\",\"password\":\"pw\"}",
            "nul", "tru", "{\"a\":" + new string('9', 400) + "}", "{\"userName\":\"" + new string('\\', 3) + "\"}",
        });
    }

    private static readonly string[] WrongTypes =
    [
        "null", "[]", "42", "\"alice\"", "true", "{}", "{\"userName\":null,\"password\":null}", "{\"userName\":1,\"password\":2}",
        "{\"userName\":true,\"password\":false}", "{\"userName\":[\"a\"],\"password\":[\"b\"]}", "{\"userName\":{\"x\":1},\"password\":{}}",
        "{\"userName\":\"fzonly\"}", "{\"password\":\"pw\"}", "{\"userName\":1e999,\"password\":\"pw\"}", "{\"UserName\":\"fzcase\",\"PASSWORD\":\"pw\"}",
        "{\"userName\":\"fz\",\"password\":\"pw\",\"extra\":[1,2,{\"deep\":null}]}", "{\"currentPassword\":\"x\",\"newPassword\":\"y\"}",
    ];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/xml", "application/json; charset=utf-16",
        "application/json; charset=bogus", "application/json; charset=\"utf-8\"", "APPLICATION/JSON", "application/vnd.api+json",
        "application/json-patch+json", "application/problem+json", "*/*", "application/json;;;", "application/json; charset=", "json", "",
    ];

    private static readonly string[] Methods = ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "POST", "HEAD", "TRACE", "PROPFIND"];

    private static readonly string[] OddPaths =
    [
        "/api/account/register/", "/api/account//register", "/API/ACCOUNT/REGISTER", "/api/account/register/../token", "/api/account/%2e%2e/token",
        "/api/account/%00", "/api/account/%FF%FE", "/api/account/register?userName=<script>", "/api/account/" + new string('a', 5000),
        "/api/account", "/api", "/api/account/token;jsessionid=1", "/api/account/regi%73ter", "/hubs/chat", "/hubs/chat/negotiate?negotiateVersion=abc",
        "/healthz", "/readyz?verbose=<script>", "/login?ReturnUrl=//evil.example", "/register?ReturnUrl=javascript:alert(1)", "/%E2%80%AE", "/status/999999999999",
    ];

    private static readonly string[] PasswordBodies =
    [
        "{}", "null", "{\"currentPassword\":null,\"newPassword\":null}", "{\"currentPassword\":1,\"newPassword\":2}", "{\"currentPassword\":\"x\"}",
        "{\"currentPassword\":\"wrong\",\"newPassword\":\"short\"}", "{\"currentPassword\":\"\\ud800\",\"newPassword\":\"\\u0000\"}", "{", "[]",
    ];

    private static string Deep(Random random)
    {
        var depth = random.Next(65, 20_000);
        return random.Chance(50)
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"userName\":", depth)) + "1" + new string('}', depth);
    }

    private static byte[] Huge(Random random)
    {
        var size = random.Next(1, 5) * 1024 * 1024;
        return random.Next(3) switch
        {
            0 => Utf8.GetBytes(JsonSerializer.Serialize(new { userName = random.Words(size), password = "pw" })),
            1 => Utf8.GetBytes("{\"userName\":\"fz\",\"password\":\"pw\",\"pad\":[" + string.Join(',', Enumerable.Repeat("1", size / 2)) + "]}"),
            _ => Utf8.GetBytes(JsonSerializer.Serialize(new { userName = "fz", password = random.Words(size) })),
        };
    }

    /// <summary>The sign-in and register forms with junk fields; most carry a real antiforgery token so the handler sees them.</summary>
    private static ApiRequest Form(Random random, int index)
    {
        var (path, handler) = random.Chance(50) ? ("/register", "register") : ("/login", "login");
        var fields = new List<KeyValuePair<string, string>>();
        if (random.Chance(90)) fields.Add(new("_handler", random.Chance(90) ? handler : random.NastyText(2)));
        if (random.Chance(90)) fields.Add(new("Input.UserName", random.Chance(50) ? random.NastyText() : "<img src=x onerror=alert(1)>"));
        var password = random.Next(10) switch { < 2 => "password-1", < 9 => "pw", _ => random.NastyText() };
        if (random.Chance(90)) fields.Add(new("Input.Password", password));
        if (random.Chance(50)) fields.Add(new("Input.Repeat", password));
        switch (random.Next(6))
        {
            case 0: fields.Add(new("Input.UserName", "second")); break;
            case 1: fields.Add(new(random.NastyText(2), random.NastyText(2))); break;
            case 2: fields.AddRange(Enumerable.Range(0, random.Next(1000, 1200)).Select(i => new KeyValuePair<string, string>($"f{i}", "v"))); break;
            case 3: fields.Add(new(new string('k', random.Next(2000, 3000)), "v")); break;
            case 4: fields.Add(new("Input", "{}")); break;
        }
        var body = string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
        var auth = random.Chance(80) ? ApiAuth.FormWithAntiforgery : ApiAuth.None;
        var contentType = random.Chance(90) ? "application/x-www-form-urlencoded" : random.Pick(ContentTypes);
        return new(index, "form junk", "POST", path, contentType, Utf8.GetBytes(body), auth);
    }
}
