# The identity of the running service, with only what it uses:
# - read the one secret holding the database password;
# - write logs and metrics.
# No roles/cloudsql.client: the app connects to the instance's private IP with a database
# password, not through the Cloud SQL connector or IAM database authentication.
resource "google_service_account" "run" {
  account_id   = "${var.name}-run"
  display_name = "Boardcast Cloud Run runtime"

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_iam_member" "run_db_password" {
  secret_id = google_secret_manager_secret.db_password.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.run.member
}

resource "google_project_iam_member" "run" {
  for_each = toset([
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
  ])

  project = var.project_id
  role    = each.value
  member  = google_service_account.run.member

  depends_on = [google_project_service.enabled]
}
