namespace ServerlessCapi.Api;

/// <summary>The status of a kind that has none in CAPI (templates); unknown fields are still kept.</summary>
public sealed class NoStatus : ApiObject;
