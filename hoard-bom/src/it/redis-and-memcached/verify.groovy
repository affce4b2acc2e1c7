// The enforcer passed (one Netty version); it must also be the one Hoard is tested with.
def lines = new File(basedir, 'netty.txt').readLines().findAll { it.contains('io.netty:') }
assert !lines.isEmpty() : 'no Netty resolved at all: the consumer no longer tests anything'
def others = lines.findAll { !it.contains(':' + nettyVersion) }
assert others.isEmpty() : "Netty other than ${nettyVersion}: ${others}"
