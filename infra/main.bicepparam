// Parameters for `azd up` (and `bicep build-params`): azd passes its environment (.azure/<env>/.env and the
// shell's) to readEnvironmentVariable. Required: AZURE_ENV_NAME and AZURE_LOCATION (azd asks for them) and
// EVAL_AUTH_AUDIENCE (`azd env set EVAL_AUTH_AUDIENCE <client id>`, see docs/deploy.md).
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME')
param location = readEnvironmentVariable('AZURE_LOCATION')
param authAudience = readEnvironmentVariable('EVAL_AUTH_AUDIENCE')
param authTenantId = readEnvironmentVariable('EVAL_AUTH_TENANT_ID', '')
param authAllowedClientIds = readEnvironmentVariable('EVAL_AUTH_ALLOWED_CLIENT_IDS', '')
param taskHubName = readEnvironmentVariable('EVAL_TASK_HUB', 'evalhub')
param tablePrefix = readEnvironmentVariable('EVAL_TABLE_PREFIX', '')
// azd sets AZURE_PRINCIPAL_ID to the signed-in account: whoever deploys may read the data (not change it).
param operatorPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
// Required, made once and kept (an entry bound under another key is not raised again):
// `azd env set EVAL_OUTBOX_BINDING_KEY "$(openssl rand -base64 32)"` (docs/deploy.md).
param outboxBindingKey = readEnvironmentVariable('EVAL_OUTBOX_BINDING_KEY')
// Verified evidence stays undeletable this many years (default 10: records are kept about ten years).
param evidenceRetentionYears = int(readEnvironmentVariable('EVAL_EVIDENCE_RETENTION_YEARS', '10'))
// Set to true after locking the evidence container's immutability policy (docs/deploy.md): Azure refuses updates
// to a locked policy, so the template stops deploying it.
param evidencePolicyLocked = bool(readEnvironmentVariable('EVAL_EVIDENCE_POLICY_LOCKED', 'false'))
// Comma-separated origins of the web apps that upload evidence from the browser (blob CORS); empty for none.
param webOrigins = filter(
  map(split(readEnvironmentVariable('EVAL_WEB_ORIGINS', ''), ','), origin => trim(origin)),
  origin => !empty(origin)
)
