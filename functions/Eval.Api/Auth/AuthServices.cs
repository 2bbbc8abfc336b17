using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Eval.Api.Auth;

public static class AuthServices
{
    /// <summary>
    /// The validator is built on first use, so a missing key fails the first authenticated request, loudly. The token
    /// mode is checked as the host starts (<see cref="TokenModeGuard"/>): HS256 in Azure, or the sample key outside
    /// the local host, stops the process before it serves anything.
    /// </summary>
    public static IServiceCollection AddEvalAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions());
        services.TryAddSingleton(new TokenModeGuard(sampleSigningKeyAllowed: false));
        services.AddSingleton(s => new TokenValidator(s.GetRequiredService<AuthOptions>(), s.GetRequiredService<TokenModeGuard>()));
        services.AddSingleton<Authenticator>();
        services.AddHostedService<TokenModeStartupCheck>();
        return services;
    }

    /// <summary>
    /// For the local host only: accept the sample key of local.settings.sample.json. It is code rather than a setting
    /// so that no app setting can switch it on in Azure by mistake.
    /// </summary>
    public static IServiceCollection AllowSampleSigningKey(this IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton(new TokenModeGuard(sampleSigningKeyAllowed: true)));

    /// <summary>The token mode, checked before the host serves anything (<see cref="StartupCheck"/>).</summary>
    sealed class TokenModeStartupCheck(AuthOptions options, TokenModeGuard guard) : StartupCheck
    {
        protected override void Check() => guard.Check(options);
    }
}
