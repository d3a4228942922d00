global using ServerlessCapi.Testing;
