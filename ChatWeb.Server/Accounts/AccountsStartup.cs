using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Loads logins.csv before the server listens (a file that cannot be trusted stops start-up), makes sure an
/// admin account exists, and applies a configured admin password that is new since the last one applied.
/// </summary>
internal sealed partial class AccountsStartup(
    AccountFile store,
    IServiceScopeFactory scopes,
    IOptions<AdminOptions> admin,
    AppliedAdminPassword applied,
    GeneratedAdminPassword generated,
    ILogger<AccountsStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        store.Load();
        LogLoaded(logger, store.FilePath, store.All().Count);

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
        var name = admin.Value.UserName;
        var configured = admin.Value.Password is { Length: > 0 } value ? value : null;

        if (store.All().Any(u => u.IsAdmin))
        {
            if (configured is not null && !applied.WasApplied(configured) && await users.FindByNameAsync(name) is { } existing)
            {
                // Applied when it differs from the value applied last time: that is how a lost admin password is
                // recovered, and a restart with the same value does not undo the admin's own change since.
                if (!await users.CheckPasswordAsync(existing, configured))
                {
                    await Require(users.RemovePasswordAsync(existing), "reset the admin password");
                    await Require(users.AddPasswordAsync(existing, configured), "reset the admin password");
                    LogAdminPasswordApplied(logger, existing.UserName);
                }
                applied.Remember(configured);
            }
            generated.ForgetIfStale(name);
            return;
        }

        var password = configured ?? GeneratedPasswords.New(16);
        var user = await users.FindByNameAsync(name);
        if (user is null)
        {
            user = new ChatUser { UserName = name, CreatedAt = DateTimeOffset.UtcNow };
            await Require(users.CreateAsync(user, password), "create the admin account");
        }
        else
        {
            await Require(users.RemovePasswordAsync(user), "reset the admin password");
            await Require(users.AddPasswordAsync(user, password), "reset the admin password");
        }
        await Require(users.AddToRoleAsync(user, AccountRoles.Admin), "make the admin an admin");
        LogAdminCreated(logger, name);

        if (configured is not null) applied.Remember(configured);
        else generated.Show(name, password, interactive: !Console.IsOutputRedirected);
    }

    // Sign-in times wait up to a second for the next write of logins.csv; a clean stop writes them.
    public Task StopAsync(CancellationToken cancellationToken) => store.FlushAsync().WaitAsync(cancellationToken);

    private static async Task Require(Task<IdentityResult> action, string what)
    {
        var result = await action;
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }

    [LoggerMessage(LogLevel.Information, "Accounts loaded from {Path}: {Count}")]
    private static partial void LogLoaded(ILogger logger, string path, int count);

    [LoggerMessage(LogLevel.Information, "Admin account {User} created")]
    private static partial void LogAdminCreated(ILogger logger, string user);

    [LoggerMessage(LogLevel.Information, "Configured password applied to admin account {User}")]
    private static partial void LogAdminPasswordApplied(ILogger logger, string user);
}
