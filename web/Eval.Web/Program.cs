using Eval.Web;
using Eval.Web.Services;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Microsoft.JSInterop;
using MudBlazor.Services;

WebAssemblyHostBuilder builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

// The API: the app's own origin when the local host serves both; in Azure, the Functions app named in appsettings.json.
string api = builder.Configuration["Api:BaseUrl"] is { Length: > 0 } configured ? configured : builder.HostEnvironment.BaseAddress;
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(api.TrimEnd('/') + "/") });
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddScoped<SignInState>();
builder.Services.AddScoped<EvalApi>();
builder.Services.AddScoped<BrowserFiles>();
builder.Services.AddScoped<Drafts>();
builder.Services.AddScoped<Language>();
builder.Services.AddLocalization();
builder.Services.AddMudServices();

WebAssemblyHost host = builder.Build();
await Language.ApplyStoredAsync(host.Services.GetRequiredService<IJSRuntime>());
await host.Services.GetRequiredService<SignInState>().LoadAsync();
await host.RunAsync();
