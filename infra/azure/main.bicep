// ServerlessCapi on Azure Functions Flex Consumption (FC1, Linux, .NET isolated worker): a storage account for
// triggers, the durable task hub, leases and checkpoints; a Key Vault holding the management cluster's kubeconfig and
// the app's storage connection string; Application Insights; and the function app (functions/FunctionApp), which
// reaches storage and Key Vault with its system-assigned managed identity.
//
// Scaling to zero: nothing here depends on an always-ready instance. The platform's scale controller watches the
// triggers' sources and starts instances for them: the capi-events queue (the dispatcher), the timers (relay, resync,
// probe), HTTP requests, and the durable task hub's control and work-item queues. Every durable wake is a queue
// message there: a signal to an objectreconcile entity, and a scheduled signal (a requeue or a retry backoff) too,
// which is a control-queue message that stays invisible until its due time and is then seen like any other. So a
// fleet with nothing due can run no instance at all, and an instance that disappears mid-batch loses nothing: its
// messages reappear after the task hub's 30 s visibility timeout (host.json) and another instance takes them.
//
// The watch relay cannot keep a watch open on a plan that stops idle instances, so it runs in bounded slices: the relay
// timer fires every minute (RelaySchedule), takes the relay's blob lease (one active relay per management cluster,
// container scapi-relay), watches for Relay__BoundedDuration (50 s) from the resourceVersion checkpointed by the run
// before (table RelayCheckpoints), checkpoints and returns. A change made between two slices is delivered when the
// next one resumes the watch; if that resourceVersion has expired (410 Gone) it relists and emits what changed. This
// keeps one instance busy about 50 s of each minute while a management cluster is attached: a longer RelaySchedule
// lets the app idle longer at the cost of event latency.
//
// Identity: the Functions host, its queue and timer triggers, the durable extension and the deployment package use
// identity-based connections (AzureWebJobsStorage__accountName) with the role assignments below. The app's own
// storage clients (relay queue and checkpoints, leases, reconciler state) still take a connection string; they read
// it from the AppStorageConnection setting, a Key Vault reference, until they take the managed identity too.
//
//   az deployment group create -g RG -f infra/azure/main.bicep -p kubeconfig=@mgmt.kubeconfig
//   ./scapi publish --zip app.zip && az functionapp deployment source config-zip -g RG -n <appName> --src app.zip

@description('Name prefix for every resource (3-11 lowercase letters or digits).')
@minLength(3)
@maxLength(11)
param prefix string = 'scapi'

param location string = resourceGroup().location

@description('Kubeconfig of the management cluster (for the serverless-capi ServiceAccount, see infra/rbac).')
@secure()
param kubeconfig string

@description('Most instances the app scales out to (Flex Consumption allows up to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstances int = 40

@description('Memory per instance in MB (a Flex Consumption instance size).')
@allowed([2048, 4096])
param instanceMemoryMB int = 2048

@description('Names the management cluster in events, leases and checkpoints.')
param managementClusterName string = 'management'

var suffix = uniqueString(resourceGroup().id, prefix)
var storageName = take('${prefix}${suffix}', 24)
var deploymentContainerName = 'app-package'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
// What the host, the queue and timer triggers and the durable extension need on the account: blobs (deployment package,
// timer and relay leases, large durable messages), queues (capi-events, task hub queues), tables (task hub history and
// instances, relay checkpoints).
var storageRoles = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${prefix}-${suffix}'
  location: location
  kind: 'web'
  properties: { Application_Type: 'web' }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${prefix}-${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
  }
}

resource kubeconfigSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'management-kubeconfig'
  properties: { value: kubeconfig }
}

resource storageSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'app-storage-connection'
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${storage.listKeys().keys[0].value}'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${prefix}-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: '${prefix}-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstances
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Flex Consumption takes the runtime from functionAppConfig: no FUNCTIONS_WORKER_RUNTIME,
      // FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE or content-share settings here.
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'AppStorageConnection', value: '@Microsoft.KeyVault(SecretUri=${storageSecret.properties.secretUri})' }
        { name: 'KubeconfigContent', value: '@Microsoft.KeyVault(SecretUri=${kubeconfigSecret.properties.secretUri})' }
        { name: 'Relay__ClusterName', value: managementClusterName }
        // The triggers' %Setting% schedules are resolved by the Functions host, which sees app settings only.
        { name: 'RelaySchedule', value: '0 * * * * *' }
        { name: 'ResyncSchedule', value: '0 */10 * * * *' }
        { name: 'ProbeSchedule', value: '30 * * * * *' }
      ]
    }
  }
  dependsOn: [deploymentContainer]
}

resource storageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, app.id, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource vaultAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, app.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

output appName string = app.name
output storageAccount string = storage.name
