package dev.airlock.sandbox;

import java.util.Optional;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/** All sandboxes, live and ended. */
interface Sandboxes extends JpaRepository<Sandbox, String>, JpaSpecificationExecutor<Sandbox> {

	/**
	 * The row, locked for a state change: concurrent transitions of one sandbox queue up
	 * instead of racing.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select s from Sandbox s where s.id = :id")
	Optional<Sandbox> findForUpdate(String id);

}
