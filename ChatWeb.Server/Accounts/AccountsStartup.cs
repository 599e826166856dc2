using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Loads logins.csv before the server listens (a file that cannot be trusted stops start-up) and
/// makes sure an admin account exists.
/// </summary>
internal sealed partial class AccountsStartup(
    CsvUserStore store,
    IServiceScopeFactory scopes,
    IOptions<AdminOptions> admin,
    ILogger<AccountsStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        store.Load();
        LogLoaded(logger, store.FilePath, store.All().Count);

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
        var name = admin.Value.UserName;
        var configured = admin.Value.Password;

        if (store.All().Any(u => u.IsAdmin))
        {
            if (configured is { Length: > 0 } && await users.FindByNameAsync(name) is { } existing && !await users.CheckPasswordAsync(existing, configured))
            {
                // A configured password is applied at every start: that is how a lost admin password is recovered.
                await Require(users.RemovePasswordAsync(existing), "reset the admin password");
                await Require(users.AddPasswordAsync(existing, configured), "reset the admin password");
                LogAdminPasswordApplied(logger, existing.UserName);
            }
            return;
        }

        var password = configured is { Length: > 0 } ? configured : RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);
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

        if (configured is not { Length: > 0 })
        {
            // Printed straight to the console, once, and never to the log file.
            Console.WriteLine($"""

                ==============================================================
                 ChatWeb admin account created.
                   user name: {name}
                   password:  {password}
                 It is shown only this once. Sign in at /login and change it
                 at /account/password, or configure Admin:Password to replace it.
                ==============================================================

                """);
        }
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
