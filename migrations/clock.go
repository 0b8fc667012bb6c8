package migrations

import "time"

// timeNow stamps applied migrations. It is the only clock here; tests use Apply with their own.
func timeNow() time.Time { return time.Now().UTC() }
