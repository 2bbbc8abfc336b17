using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Eval.Api.Auth;

public static class AuthServices
{
    /// <summary>The validator is built on first use, so a missing key fails the first authenticated request, loudly.</summary>
    public static IServiceCollection AddEvalAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions());
        services.AddSingleton<TokenValidator>();
        services.AddSingleton<Authenticator>();
        return services;
    }
}
