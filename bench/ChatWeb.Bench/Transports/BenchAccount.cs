namespace ChatWeb.Bench.Transports;

/// <summary>A ChatWeb account registered for the run, with an access token for /resume and the hub.</summary>
internal sealed record BenchAccount(string UserName, string Password, string Token);

/// <summary>How a ChatWeb client signs in: with its password (PBKDF2 on the server) or a token (<c>/resume</c>, <c>access_token</c>).</summary>
internal enum SignInPath { Resume, Password }
