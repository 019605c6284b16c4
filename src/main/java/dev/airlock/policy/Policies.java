package dev.airlock.policy;

import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** All versions of all policies. */
interface Policies extends JpaRepository<Policy, Long> {

	@Query("select p from Policy p where p.name = :name and p.current = true")
	Optional<Policy> findCurrent(String name);

	Optional<Policy> findByNameAndVersion(String name, int version);

	@Query("select p from Policy p where p.current = true")
	Page<Policy> findAllCurrent(Pageable pageable);

	@Query("select coalesce(max(p.version), 0) from Policy p where p.name = :name")
	int latestVersion(String name);

	/** Serialises changes to one policy name across transactions and replicas. */
	@Query(value = "select cast(pg_advisory_xact_lock(hashtext('policy:' || :name)) as text)", nativeQuery = true)
	String lockName(String name);

}
