# One VPC: Cloud Run instances join it through Direct VPC egress (no connector VMs), and
# Cloud SQL and Memorystore sit on it through private services access. Nothing in it has a
# public address.
resource "google_compute_network" "main" {
  name                    = var.name
  auto_create_subnetworks = false

  depends_on = [google_project_service.enabled]
}

resource "google_compute_subnetwork" "run" {
  name                     = "${var.name}-run"
  region                   = var.region
  network                  = google_compute_network.main.id
  ip_cidr_range            = var.run_subnet_cidr
  private_ip_google_access = true
}

# The range Google's service producers (Cloud SQL, Memorystore) take their addresses from.
resource "google_compute_global_address" "private_services" {
  name          = "${var.name}-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = var.private_services_prefix_length
  network       = google_compute_network.main.id
}

resource "google_service_networking_connection" "private_services" {
  network                 = google_compute_network.main.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services.name]

  # Removing the peering fails while the producers still hold addresses in it (they are
  # deleted asynchronously); the peering goes with the network anyway.
  deletion_policy = "ABANDON"
}
