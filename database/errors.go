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

// sqliteBusy is SQLite's result code for a lock it could not get (the primary code is the low byte of
// an extended one).
const sqliteBusy = 5

// Retryable reports whether err ended a transaction that the database rolled back for a reason that
// goes away by itself, so running the whole transaction again at once is safe and likely to succeed:
// InnoDB chose it as a deadlock victim (1213), or SQLite stayed busy beyond its busy timeout. A lock
// wait timeout (1205) is not: each attempt would wait innodb_lock_wait_timeout again, past any
// request's deadline, so it is answered as unavailable instead.
func Retryable(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1213
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqliteBusy
	}
	return false
}

// mysqlUnavailable lists the MySQL/MariaDB errors of a server that is away, going away, overloaded or
// refusing writes for a while: too many connections (1040), shutdown in progress (1053), network
// read/write failures (1158–1161), a lock wait that timed out (1205), read-only during a failover
// (1290, 1836), connection killed (MariaDB 1927), the client-side codes of a lost server (2002, 2003,
// 2006, 2013) and MySQL 8's idle disconnect (4031). A query interrupted by the server (1317) is not
// among them: that is a kill or a time limit, a fault to look into rather than to retry.
var mysqlUnavailable = map[uint16]bool{
	1040: true, 1053: true, 1158: true, 1159: true, 1160: true, 1161: true, 1205: true, 1290: true, 1836: true,
	1927: true, 2002: true, 2003: true, 2006: true, 2013: true, 4031: true,
}

// TooLarge reports whether the database refused a statement for its size (a packet over
// max_allowed_packet, 1153; a value over it, 1301): the request's content is too large, which retrying
// cannot change.
func TooLarge(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1153 || me.Number == 1301)
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
	// Only a failure on the connection's own socket (refused, reset, unreachable) is an outage; other
	// net.Errors, such as a context's deadline, are the request's own.
	var oe *net.OpError
	if errors.As(err, &oe) {
		return true
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	// database/sql reports a closed pool with an unexported error.
	return strings.Contains(err.Error(), "sql: database is closed")
}
