using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ServerlessCapi.FunctionApp.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
AppServices.Configure(builder.Configuration, builder.Services);
builder.Build().Run();
