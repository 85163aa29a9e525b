output "url" {
  description = "Base URL of the deployment: https://DOMAIN with a load balancer, otherwise Cloud Run's run.app URL."
  value       = local.base_url
}

output "graphql_url" {
  description = "GraphQL over HTTP endpoint (POST, Authorization: Bearer <JWT from the OIDC issuer>)."
  value       = "${local.base_url}/graphql"
}

output "websocket_url" {
  description = "GraphQL subscriptions endpoint (graphql-ws protocol; the token goes in the connection_init payload)."
  value       = "wss://${trimprefix(local.base_url, "https://")}/graphql"
}

output "service_url" {
  description = "Cloud Run's own URL of the service (only reachable through the load balancer when a domain is set)."
  value       = google_cloud_run_v2_service.app.uri
}

output "service_name" {
  description = "Name of the Cloud Run service, for gcloud run commands (logs, revisions)."
  value       = google_cloud_run_v2_service.app.name
}

output "load_balancer_ip" {
  description = "Address to point the domain's A record at; null when no domain is set."
  value       = local.load_balanced ? google_compute_global_address.lb[0].address : null
}

output "database_instance" {
  description = "Cloud SQL instance connection name (PROJECT:REGION:INSTANCE), e.g. for the Cloud SQL Auth Proxy."
  value       = google_sql_database_instance.main.connection_name
}

output "database_password_secret" {
  description = "Secret Manager secret holding the database password of the boardcast user."
  value       = google_secret_manager_secret.db_password.id
}

output "service_account" {
  description = "Email of the service account the Cloud Run service runs as."
  value       = google_service_account.run.email
}
