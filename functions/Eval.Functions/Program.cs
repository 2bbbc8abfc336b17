using Eval.Api;
using Eval.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemDetailsMiddleware>();
builder.Services.AddEvalApi(builder.Configuration);
builder.Build().Run();
