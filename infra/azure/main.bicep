// ServerlessCapi on Azure Functions (Linux, custom handler): a storage account for triggers, workflow state,
// leases and checkpoints; a Key Vault holding the management cluster's kubeconfig; Application Insights; and the
// function app itself, reading the kubeconfig through a Key Vault reference with its managed identity.
//
// The plan is Elastic Premium with one always-ready instance: the durable engine's worker runs inside the handler
// process, and durable timers are delayed queue messages that no Functions
// trigger watches, so the process must not scale to zero. Event bursts still scale out on the capi-events queue.
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

@description('Elastic Premium size: EP1, EP2 or EP3.')
@allowed(['EP1', 'EP2', 'EP3'])
param planSku string = 'EP1'

@description('Most instances the plan scales out to.')
param maximumInstances int = 4

@description('Names the management cluster in events, leases and checkpoints.')
param managementClusterName string = 'management'

var suffix = uniqueString(resourceGroup().id, prefix)
var storageName = take('${prefix}${suffix}', 24)
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
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

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${prefix}-${suffix}'
  location: location
  sku: { name: planSku, tier: 'ElasticPremium' }
  kind: 'elastic'
  properties: {
    reserved: true
    maximumElasticWorkerCount: maximumInstances
  }
}

var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${storage.listKeys().keys[0].value}'

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: '${prefix}-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      minimumElasticInstanceCount: 1
      functionAppScaleLimit: maximumInstances
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appSettings: [
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'custom' }
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        { name: 'AzureWebJobsStorage', value: storageConnection }
        { name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', value: storageConnection }
        { name: 'WEBSITE_CONTENTSHARE', value: toLower('${prefix}-${suffix}') }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'KubeconfigContent', value: '@Microsoft.KeyVault(SecretUri=${kubeconfigSecret.properties.secretUri})' }
        { name: 'Relay__ClusterName', value: managementClusterName }
      ]
    }
  }
}

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
