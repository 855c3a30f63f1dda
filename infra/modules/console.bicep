// The web console (functions/ServerlessMobility.WebConsole): an Azure Static Web App serving the published Blazor
// WebAssembly files, with the Function App linked as its backend, so the console calls /api on its own origin (no CORS,
// no API address in the app). Linked backends need the Standard plan. Deploy the files with the Static Web Apps CLI or
// the deployment token (docs/deploy-azure.md); the routes are in the app's staticwebapp.config.json.

@description('Name of the Static Web App.')
param name string

@description('Region of the Static Web App (a region Static Web Apps offer; the content itself is served globally).')
param location string

@description('Resource id of the Function App the console calls as /api.')
param functionAppId string

@description('Region of the Function App.')
param functionAppLocation string

@description('OpenID Connect authority the console signs staff in with: https://login.microsoftonline.com/<tenant>/v2.0 (the one the API validates).')
param signInAuthority string

@description('Application (client) id of the console\'s Entra app registration (single-page application platform). Empty: the console offers only the development form, which signs nobody in here.')
param signInClientId string = ''

@description('Scopes the console asks for at sign-in: the API\'s delegated scope, such as api://serverless-mobility/user_impersonation.')
param signInScopes string[]

param tags object = {}

resource site 'Microsoft.Web/staticSites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    // Files come from a deployment (CLI or pipeline), not from a repository the platform would pull.
    allowConfigFileUpdates: true
    stagingEnvironmentPolicy: 'Enabled'
    enterpriseGradeCdnStatus: 'Disabled'
  }
}

resource backend 'Microsoft.Web/staticSites/linkedBackends@2025-03-01' = {
  parent: site
  name: 'api'
  properties: {
    backendResourceId: functionAppId
    region: functionAppLocation
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostname

// The console's console-config.json (docs/console.md, "Sign in"). Static content is not an Azure setting: the
// deployment answers it and the publish step writes it next to index.html before uploading (docs/deploy-azure.md, 3b).
// Nothing in it is secret: a single-page application has no client secret, PKCE protects its codes.
output consoleConfig object = empty(signInClientId) ? {
  signIn: {
    mode: 'dev'
  }
} : {
  signIn: {
    mode: 'oidc'
    authority: signInAuthority
    clientId: signInClientId
    scopes: signInScopes
  }
}
