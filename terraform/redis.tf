# Memorystore for Redis on the same VPC: carries each committed event to the instances whose
# clients watch that board. It holds no data of record, so BASIC (no replica) is the default;
# after a restart the app fills any gap from the event log in PostgreSQL.
#
# AUTH and in-transit encryption are off because the app's contract has no Redis password or
# TLS setting; the instance has no public address and only the VPC reaches it.
resource "google_redis_instance" "events" {
  name               = "${var.name}-events"
  region             = var.region
  tier               = var.redis_tier
  memory_size_gb     = var.redis_memory_size_gb
  redis_version      = var.redis_version
  authorized_network = google_compute_network.main.id
  connect_mode       = "PRIVATE_SERVICE_ACCESS"

  depends_on = [google_service_networking_connection.private_services]
}
