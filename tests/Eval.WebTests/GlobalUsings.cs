global using Bunit;
global using Microsoft.AspNetCore.Components;
global using Microsoft.Extensions.DependencyInjection;
