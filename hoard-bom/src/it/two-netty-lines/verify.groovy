// Failing is not enough: it must be the Netty rule that failed, not a missing artifact.
def log = new File(basedir, 'build.log').text
assert log.contains('RequireSameVersions failed')
assert log.contains('4.1.101.Final')
