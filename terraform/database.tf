# Cloud SQL for PostgreSQL, private IP only: the source of truth and the event log.

# Instance names cannot be reused for a week after deletion, so each instance gets a suffix.
resource "random_id" "database_suffix" {
  byte_length = 3
}

resource "google_sql_database_instance" "main" {
  name                = "${var.name}-${random_id.database_suffix.hex}"
  region              = var.region
  database_version    = var.database_version
  deletion_protection = var.database_deletion_protection

  settings {
    edition           = "ENTERPRISE"
    tier              = var.database_tier
    availability_type = var.database_high_availability ? "REGIONAL" : "ZONAL"
    disk_autoresize   = true

    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.main.id
      ssl_mode        = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
    }

    database_flags {
      name  = "max_connections"
      value = tostring(var.database_max_connections)
    }
  }

  depends_on = [google_service_networking_connection.private_services]
}

resource "google_sql_database" "app" {
  name     = "boardcast"
  instance = google_sql_database_instance.main.name
}

resource "random_password" "database" {
  length = 32
  # Letters and digits only: nothing to escape anywhere the password travels.
  special = false
}

resource "google_sql_user" "app" {
  name     = "boardcast"
  instance = google_sql_database_instance.main.name
  password = random_password.database.result

  # The user owns the app's tables, so PostgreSQL refuses to drop it; it goes with the instance.
  deletion_policy = "ABANDON"
}

# The app reads the password from Secret Manager (only the runtime service account may,
# see iam.tf). It is also in the Terraform state: keep the state private.
resource "google_secret_manager_secret" "db_password" {
  secret_id = "${var.name}-db-password"

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_version" "db_password" {
  secret      = google_secret_manager_secret.db_password.id
  secret_data = random_password.database.result
}
