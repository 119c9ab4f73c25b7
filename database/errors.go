package database

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"

	"github.com/glebarez/go-sqlite"
	"github.com/go-sql-driver/mysql"
)

// SQLite result codes (the primary code is the low byte of an extended one).
const (
	sqliteBusy   = 5
	sqliteLocked = 6
)

// Retryable reports whether err ended a transaction that the database rolled back for a reason that
// goes away by itself, so running the whole transaction again is safe and likely to succeed: InnoDB
// chose it as a deadlock victim (1213) or its lock wait timed out (1205), or SQLite stayed busy
// beyond its busy timeout.
func Retryable(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1213 || me.Number == 1205
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code() & 0xff
		return code == sqliteBusy || code == sqliteLocked
	}
	return false
}

// mysqlUnavailable lists the MySQL/MariaDB errors of a server that is away, going away, overloaded or
// refusing writes for a while: too many connections (1040), shutdown in progress (1053), network
// read/write failures (1158–1161), query interrupted (1317), read-only during a failover (1290, 1836),
// connection killed (MariaDB 1927), the client-side codes of a lost server (2002, 2003, 2006, 2013)
// and MySQL 8's idle disconnect (4031).
var mysqlUnavailable = map[uint16]bool{
	1040: true, 1053: true, 1158: true, 1159: true, 1160: true, 1161: true, 1317: true, 1290: true, 1836: true,
	1927: true, 2002: true, 2003: true, 2006: true, 2013: true, 4031: true,
}

// Unavailable reports whether err means the database could not be reached or could not serve the
// request for now: a refused or broken connection, a server going away, a closed pool, or a
// transaction that stayed Retryable after its retries. It is the one place that tells an outage
// from a bug, so that the API can answer 503 with Retry-After instead of 500.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if Retryable(err) {
		return true
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return mysqlUnavailable[me.Number]
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true // refused, reset, timed out, unreachable
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	// database/sql reports a closed pool with an unexported error.
	return strings.Contains(err.Error(), "sql: database is closed")
}
