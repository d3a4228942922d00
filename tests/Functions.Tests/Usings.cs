global using ServerlessCapi.Functions.Tests.Support;
global using ServerlessCapi.Testing;
