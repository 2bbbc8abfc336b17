using Eval.Api.Auth;
using Eval.Workflows.Domain;

namespace Eval.LocalHost.Cli;

/// <summary>
/// `./eval token --role township-reviewer --unit chifeng.hongshan.t01 [--role ...] [--sub id] [--name n] [--hours 12]`:
/// prints a development token signed with the local key (Auth__SigningKey).
/// </summary>
public static class TokenCommand
{
    public static int Run(CommandLine cli, IConfiguration configuration)
    {
        IReadOnlyList<string> roles = cli.All("role");
        string? unit = cli.One("unit");
        if (roles.Count == 0 || unit is null)
        {
            Console.Error.WriteLine("usage: token --role ROLE [--role ROLE ...] --unit UNIT [--sub ID] [--name NAME] [--hours N]");
            Console.Error.WriteLine($"roles: {string.Join(", ", Roles.All)}");
            return 2;
        }
        string? unknown = roles.FirstOrDefault(r => !Roles.All.Contains(r));
        if (unknown is not null) { Console.Error.WriteLine($"unknown role '{unknown}'; roles: {string.Join(", ", Roles.All)}"); return 2; }
        if (!UnitPath.IsValid(unit)) { Console.Error.WriteLine($"'{unit}' is not a unit id (dot-separated [a-z0-9-] segments)"); return 2; }
        AuthOptions options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new();
        if (string.IsNullOrEmpty(options.SigningKey))
        {
            Console.Error.WriteLine("Auth__SigningKey is not set (local.settings.json)");
            return 2;
        }
        double hours = double.TryParse(cli.One("hours"), out double h) && h > 0 ? h : 12;
        string sub = cli.One("sub") ?? $"{roles[0]}@{unit}";
        Console.WriteLine(DevTokens.Create(options, sub, cli.One("name") ?? sub, roles, unit, TimeSpan.FromHours(hours)));
        return 0;
    }
}
