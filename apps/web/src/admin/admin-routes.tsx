import { Route, Routes } from 'react-router';
import { DataQualityScreen } from './data-quality-screen';
import { EventsScreen } from './events-screen';
import { LearningScreen } from './learning-screen';
import { UserFinder, UserScreen } from './user-screen';

/** The admin console's pages (the gateway checks the admin role again on every call). */
export function AdminRoutes() {
  return (
    <Routes>
      <Route path="users" element={<UserFinder />} />
      <Route path="users/:userId" element={<UserScreen />} />
      <Route path="data-quality" element={<DataQualityScreen />} />
      <Route path="learning" element={<LearningScreen />} />
      <Route path="events" element={<EventsScreen />} />
      <Route path="*" element={<p>Choose an admin page above.</p>} />
    </Routes>
  );
}
